-- Indexing enterprises one row at a time is slow in FTS5: every statement opens a savepoint, and
-- FTS5 flushes its pending terms into a new segment at each one (172 µs per enterprise, against
-- 8 µs for the row alone). A pull page therefore pauses the insert trigger while it writes its
-- rows — a row in search_paused, inside the page's own transaction — and indexes the enterprises
-- it inserted in two INSERT … SELECT statements before it commits (db/sync-apply.ts). A crash
-- rolls the pause back with the page; the table is empty at every commit.
CREATE TABLE `search_paused` (`id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1));
--> statement-breakpoint
DROP TRIGGER IF EXISTS `enterprises_search_insert`;
--> statement-breakpoint
CREATE TRIGGER `enterprises_search_insert` AFTER INSERT ON `enterprises`
WHEN new.deleted = 0 AND NOT EXISTS (SELECT 1 FROM `search_paused`) BEGIN
	INSERT INTO `enterprises_fts` (rowid, name, credit_code, address)
	VALUES (new.rowid, new.name, new.credit_code, new.address);
	INSERT INTO `enterprises_chars` (rowid, name, credit_code, address)
	VALUES (new.rowid, uplift_spaced(new.name), uplift_spaced(new.credit_code), uplift_spaced(new.address));
END;
