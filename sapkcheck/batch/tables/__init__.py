"""Staff tables, read one row at a time with bounded memory: ``sniff`` (bytes, encodings,
delimiters) → ``headers`` (header row and columns) → ``csv_table`` / ``xlsx_table`` →
``reader.open_table``, the one entry point. ``model`` holds the types they share."""
