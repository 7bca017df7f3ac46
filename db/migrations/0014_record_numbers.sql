ALTER TABLE `inspections` ADD `number` text;--> statement-breakpoint
CREATE INDEX `inspections_number` ON `inspections` (`number`);--> statement-breakpoint
ALTER TABLE `plans` ADD `number` text;--> statement-breakpoint
CREATE INDEX `plans_number` ON `plans` (`number`);--> statement-breakpoint
-- A record number is written once (electron/services/record-numbers.ts): it is printed on signed
-- records and said on the phone, so nothing may change it once a row has one (the store refuses
-- it too, server/sync/tables.ts IMMUTABLE_FIELDS). Rows made before numbers keep NULL and show a
-- number derived from their id.
CREATE TRIGGER `inspections_number_immutable` BEFORE UPDATE OF `number` ON `inspections`
WHEN old.number IS NOT NULL AND new.number IS NOT old.number BEGIN
	SELECT RAISE(ABORT, '记录编号写入后不能修改');
END;
--> statement-breakpoint
CREATE TRIGGER `plans_number_immutable` BEFORE UPDATE OF `number` ON `plans`
WHEN old.number IS NOT NULL AND new.number IS NOT old.number BEGIN
	SELECT RAISE(ABORT, '记录编号写入后不能修改');
END;
