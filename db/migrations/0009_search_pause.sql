-- Indexing enterprises one row at a time is slow in FTS5: every statement opens a savepoint, and
-- FTS5 flushes its pending terms into a new segment at each one, which later merges rewrite again
-- and again (a first pull of 50,000 enterprises spent 17 s of its 31 s there). A pull therefore
-- pauses the search index: while search_paused holds its row, an inserted enterprise is only
-- noted in search_pending, and the update and delete triggers leave pending rows alone (the index
-- never held them). resumeSearchIndex (db/repositories/enterprises.ts) indexes the pending rows
-- in two INSERT … SELECT statements and ends the pause: at a pull's last page, when a sync run
-- ends in any way, and when the database is opened (after a crash mid-pull).
CREATE TABLE `search_paused` (`id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1));
--> statement-breakpoint
CREATE TABLE `search_pending` (`rowid` integer PRIMARY KEY NOT NULL);
--> statement-breakpoint
DROP TRIGGER IF EXISTS `enterprises_search_insert`;
--> statement-breakpoint
CREATE TRIGGER `enterprises_search_insert` AFTER INSERT ON `enterprises` WHEN new.deleted = 0 BEGIN
	INSERT INTO `enterprises_fts` (rowid, name, credit_code, address)
	SELECT new.rowid, new.name, new.credit_code, new.address
	WHERE NOT EXISTS (SELECT 1 FROM `search_paused`);
	INSERT INTO `enterprises_chars` (rowid, name, credit_code, address)
	SELECT new.rowid, uplift_spaced(new.name), uplift_spaced(new.credit_code), uplift_spaced(new.address)
	WHERE NOT EXISTS (SELECT 1 FROM `search_paused`);
	INSERT INTO `search_pending` (rowid) SELECT new.rowid WHERE EXISTS (SELECT 1 FROM `search_paused`);
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `enterprises_search_update`;
--> statement-breakpoint
CREATE TRIGGER `enterprises_search_update` AFTER UPDATE OF name, credit_code, address, deleted ON `enterprises`
WHEN NOT EXISTS (SELECT 1 FROM `search_pending` WHERE rowid = old.rowid) BEGIN
	INSERT INTO `enterprises_fts` (`enterprises_fts`, rowid, name, credit_code, address)
	SELECT 'delete', old.rowid, old.name, old.credit_code, old.address WHERE old.deleted = 0;
	DELETE FROM `enterprises_chars` WHERE rowid = old.rowid;
	INSERT INTO `enterprises_fts` (rowid, name, credit_code, address)
	SELECT new.rowid, new.name, new.credit_code, new.address WHERE new.deleted = 0;
	INSERT INTO `enterprises_chars` (rowid, name, credit_code, address)
	SELECT new.rowid, uplift_spaced(new.name), uplift_spaced(new.credit_code), uplift_spaced(new.address)
	WHERE new.deleted = 0;
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `enterprises_search_delete`;
--> statement-breakpoint
-- Whatever the row's state: a pending row may have been tombstoned before it goes, and its
-- search_pending entry must go with it (its rowid may be reused).
CREATE TRIGGER `enterprises_search_delete` AFTER DELETE ON `enterprises` BEGIN
	INSERT INTO `enterprises_fts` (`enterprises_fts`, rowid, name, credit_code, address)
	SELECT 'delete', old.rowid, old.name, old.credit_code, old.address
	WHERE old.deleted = 0 AND NOT EXISTS (SELECT 1 FROM `search_pending` WHERE rowid = old.rowid);
	DELETE FROM `enterprises_chars` WHERE rowid = old.rowid;
	DELETE FROM `search_pending` WHERE rowid = old.rowid;
END;
