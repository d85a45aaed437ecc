-- 0012: finding records by any part of a name, code or notes (issue 18).
--
-- One FTS5 table per searched table, with the trigram tokenizer (any three
-- characters match, Chinese included, case-insensitive) and external content:
-- the text stays in the base table, the index holds only the trigrams. The
-- triggers keep each index in the same transaction as its rows, whichever
-- path writes them (the write path, an import, a sync bundle applied).
--
-- The indexes are not records: the change log does not record them and sync
-- does not send them (each site's triggers rebuild its own). `registry check`
-- compares each index with its table (FTS5's integrity-check), so an index
-- edited behind registry's back is reported.
--
-- Shorter queries (one or two characters) cannot use a trigram index; they
-- scan the base tables with instr() instead (and never LIKE, which on SQLite
-- 3.40 wrongly returns no rows against a trigram table for such patterns).
CREATE VIRTUAL TABLE project_search USING fts5(code, name, notes, content = 'project', content_rowid = 'rowid', tokenize = 'trigram');
CREATE VIRTUAL TABLE enterprise_search USING fts5(uscc, name, notes, content = 'enterprise', content_rowid = 'rowid', tokenize = 'trigram');
CREATE VIRTUAL TABLE park_search USING fts5(code, name, notes, content = 'park', content_rowid = 'rowid', tokenize = 'trigram');

INSERT INTO project_search (project_search) VALUES ('rebuild');
INSERT INTO enterprise_search (enterprise_search) VALUES ('rebuild');
INSERT INTO park_search (park_search) VALUES ('rebuild');

CREATE TRIGGER project_search_insert AFTER INSERT ON project BEGIN
    INSERT INTO project_search (rowid, code, name, notes) VALUES (new.rowid, new.code, new.name, new.notes);
END;
CREATE TRIGGER project_search_delete AFTER DELETE ON project BEGIN
    INSERT INTO project_search (project_search, rowid, code, name, notes) VALUES ('delete', old.rowid, old.code, old.name, old.notes);
END;
CREATE TRIGGER project_search_update AFTER UPDATE OF code, name, notes ON project BEGIN
    INSERT INTO project_search (project_search, rowid, code, name, notes) VALUES ('delete', old.rowid, old.code, old.name, old.notes);
    INSERT INTO project_search (rowid, code, name, notes) VALUES (new.rowid, new.code, new.name, new.notes);
END;

CREATE TRIGGER enterprise_search_insert AFTER INSERT ON enterprise BEGIN
    INSERT INTO enterprise_search (rowid, uscc, name, notes) VALUES (new.rowid, new.uscc, new.name, new.notes);
END;
CREATE TRIGGER enterprise_search_delete AFTER DELETE ON enterprise BEGIN
    INSERT INTO enterprise_search (enterprise_search, rowid, uscc, name, notes) VALUES ('delete', old.rowid, old.uscc, old.name, old.notes);
END;
CREATE TRIGGER enterprise_search_update AFTER UPDATE OF uscc, name, notes ON enterprise BEGIN
    INSERT INTO enterprise_search (enterprise_search, rowid, uscc, name, notes) VALUES ('delete', old.rowid, old.uscc, old.name, old.notes);
    INSERT INTO enterprise_search (rowid, uscc, name, notes) VALUES (new.rowid, new.uscc, new.name, new.notes);
END;

CREATE TRIGGER park_search_insert AFTER INSERT ON park BEGIN
    INSERT INTO park_search (rowid, code, name, notes) VALUES (new.rowid, new.code, new.name, new.notes);
END;
CREATE TRIGGER park_search_delete AFTER DELETE ON park BEGIN
    INSERT INTO park_search (park_search, rowid, code, name, notes) VALUES ('delete', old.rowid, old.code, old.name, old.notes);
END;
CREATE TRIGGER park_search_update AFTER UPDATE OF code, name, notes ON park BEGIN
    INSERT INTO park_search (park_search, rowid, code, name, notes) VALUES ('delete', old.rowid, old.code, old.name, old.notes);
    INSERT INTO park_search (rowid, code, name, notes) VALUES (new.rowid, new.code, new.name, new.notes);
END;
