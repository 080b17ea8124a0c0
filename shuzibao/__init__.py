"""shuzibao: turns a newsroom's archive of Markdown articles into a static 数字报 (digital edition)."""

__version__ = "0.1.0"
