"""Rendering: which pages exist (routes) and what each shows, turned into bytes by the templates.

Rendering reads nothing from the content tree and checks nothing: it is given the model the
build has loaded and validated, and returns files without writing them.
"""
