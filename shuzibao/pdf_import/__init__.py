"""Import: the layout system's page PDFs (one per 版) turned into a content tree of draft stories."""
