"""The content tree: reading the editors' files into the model, their schemas, and every check.

Stage 1 and 2 of the build: load (sources, schema, article_body, scans, load) and validate (jumps,
scans, moves, validate). Nothing here renders or writes; every fault is collected with its line.
"""
