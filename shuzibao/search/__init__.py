"""Search: the documents Pagefind indexes, the data the search page needs, and Pagefind run so
that its output is the same from run to run."""
