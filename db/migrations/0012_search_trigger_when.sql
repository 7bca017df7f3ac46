-- While a pull pauses the search index (migration 0009), the insert trigger still ran its two
-- FTS5 statements for every enterprise, selecting nothing: but a statement on an FTS5 table opens
-- and closes its savepoint all the same, which cost a first pull of 50,000 enterprises about a
-- second. The choice now sits in the triggers' WHEN clauses, so a paused insert runs only the
-- statement that notes it as pending.
DROP TRIGGER IF EXISTS `enterprises_search_insert`;
--> statement-breakpoint
CREATE TRIGGER `enterprises_search_insert` AFTER INSERT ON `enterprises`
WHEN new.deleted = 0 AND NOT EXISTS (SELECT 1 FROM `search_paused`) BEGIN
	INSERT INTO `enterprises_fts` (rowid, name, credit_code, address)
	VALUES (new.rowid, new.name, new.credit_code, new.address);
	INSERT INTO `enterprises_chars` (rowid, name, credit_code, address)
	VALUES (new.rowid, uplift_spaced(new.name), uplift_spaced(new.credit_code), uplift_spaced(new.address));
END;
--> statement-breakpoint
CREATE TRIGGER `enterprises_search_insert_paused` AFTER INSERT ON `enterprises`
WHEN new.deleted = 0 AND EXISTS (SELECT 1 FROM `search_paused`) BEGIN
	INSERT INTO `search_pending` (rowid) VALUES (new.rowid);
END;
