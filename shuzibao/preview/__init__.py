"""The editors' preview: the rebuild loop (watch, rebuild what changed, index in the background)
and the server (live reload, the fault overlay, never a half-written site)."""
