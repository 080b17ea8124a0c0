"""The build: the pipeline that runs every stage, the planning of a cached build, the per-issue
worker, page keys, the build cache, the staging folder and the page scans' copies."""
