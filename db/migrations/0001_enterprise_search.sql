-- Substring search over enterprise name, 统一社会信用代码 and address. Chinese has no word breaks,
-- so two indexes hold the live rows (tombstones leave them):
-- * enterprises_fts, trigram tokens: any substring of three or more characters;
-- * enterprises_chars, one token per character (uplift_spaced() puts a space between them, and
--   openDatabase registers it): one or two characters, searched as a phrase of adjacent tokens.
-- The triggers keep both in step with every write to enterprises.
CREATE VIRTUAL TABLE `enterprises_fts` USING fts5(
	name, credit_code, address,
	content='enterprises', content_rowid='rowid', tokenize='trigram'
);
--> statement-breakpoint
CREATE VIRTUAL TABLE `enterprises_chars` USING fts5(
	name, credit_code, address,
	content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0'
);
--> statement-breakpoint
INSERT INTO `enterprises_fts` (rowid, name, credit_code, address)
	SELECT rowid, name, credit_code, address FROM `enterprises` WHERE deleted = 0;
--> statement-breakpoint
INSERT INTO `enterprises_chars` (rowid, name, credit_code, address)
	SELECT rowid, uplift_spaced(name), uplift_spaced(credit_code), uplift_spaced(address) FROM `enterprises` WHERE deleted = 0;
--> statement-breakpoint
CREATE TRIGGER `enterprises_search_insert` AFTER INSERT ON `enterprises` WHEN new.deleted = 0 BEGIN
	INSERT INTO `enterprises_fts` (rowid, name, credit_code, address)
	VALUES (new.rowid, new.name, new.credit_code, new.address);
	INSERT INTO `enterprises_chars` (rowid, name, credit_code, address)
	VALUES (new.rowid, uplift_spaced(new.name), uplift_spaced(new.credit_code), uplift_spaced(new.address));
END;
--> statement-breakpoint
CREATE TRIGGER `enterprises_search_delete` AFTER DELETE ON `enterprises` WHEN old.deleted = 0 BEGIN
	INSERT INTO `enterprises_fts` (`enterprises_fts`, rowid, name, credit_code, address)
	VALUES ('delete', old.rowid, old.name, old.credit_code, old.address);
	DELETE FROM `enterprises_chars` WHERE rowid = old.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER `enterprises_search_unindex` AFTER UPDATE OF name, credit_code, address, deleted ON `enterprises` WHEN old.deleted = 0 BEGIN
	INSERT INTO `enterprises_fts` (`enterprises_fts`, rowid, name, credit_code, address)
	VALUES ('delete', old.rowid, old.name, old.credit_code, old.address);
	DELETE FROM `enterprises_chars` WHERE rowid = old.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER `enterprises_search_reindex` AFTER UPDATE OF name, credit_code, address, deleted ON `enterprises` WHEN new.deleted = 0 BEGIN
	INSERT INTO `enterprises_fts` (rowid, name, credit_code, address)
	VALUES (new.rowid, new.name, new.credit_code, new.address);
	INSERT INTO `enterprises_chars` (rowid, name, credit_code, address)
	VALUES (new.rowid, uplift_spaced(new.name), uplift_spaced(new.credit_code), uplift_spaced(new.address));
END;
--> statement-breakpoint
CREATE INDEX `enterprise_processes_filters` ON `enterprise_processes` (`industry_code`, `current_grade`, `target_grade`) WHERE `deleted` = 0;
