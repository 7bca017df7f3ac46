-- The search index followed an update in two triggers that SQLite ran newest first: the new
-- values were indexed, then the old ones un-indexed, so an edit that left the name as it was
-- (a new address or credit code) dropped the enterprise from name searches, and any edit dropped
-- it from one- and two-character searches. One trigger now does both, in order; then both
-- indexes are rebuilt from the live rows, which repairs files written before.
DROP TRIGGER IF EXISTS `enterprises_search_unindex`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `enterprises_search_reindex`;
--> statement-breakpoint
CREATE TRIGGER `enterprises_search_update` AFTER UPDATE OF name, credit_code, address, deleted ON `enterprises` BEGIN
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
INSERT INTO `enterprises_fts` (`enterprises_fts`) VALUES ('delete-all');
--> statement-breakpoint
INSERT INTO `enterprises_fts` (rowid, name, credit_code, address)
SELECT rowid, name, credit_code, address FROM `enterprises` WHERE deleted = 0;
--> statement-breakpoint
INSERT INTO `enterprises_chars` (`enterprises_chars`) VALUES ('delete-all');
--> statement-breakpoint
INSERT INTO `enterprises_chars` (rowid, name, credit_code, address)
SELECT rowid, uplift_spaced(name), uplift_spaced(credit_code), uplift_spaced(address)
FROM `enterprises` WHERE deleted = 0;
