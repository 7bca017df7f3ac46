CREATE TABLE `sync_bundle_ops` (
	`device_id` text NOT NULL,
	`op_id` text NOT NULL,
	`seq` integer NOT NULL,
	`imported_at` integer NOT NULL,
	PRIMARY KEY(`device_id`, `op_id`)
);
--> statement-breakpoint
CREATE TABLE `sync_conflicts` (
	`id` text PRIMARY KEY NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`field` text NOT NULL,
	`local_value` text NOT NULL,
	`local_clock` text NOT NULL,
	`remote_value` text NOT NULL,
	`remote_clock` text NOT NULL,
	`winner` text NOT NULL,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	`resolution` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_conflicts_pair` ON `sync_conflicts` (`table_name`,`row_id`,`field`,`local_clock`,`remote_clock`);--> statement-breakpoint
CREATE INDEX `sync_conflicts_open` ON `sync_conflicts` (`resolved_at`,`created_at`);--> statement-breakpoint
CREATE TABLE `sync_deferred` (
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`field` text NOT NULL,
	`value` text NOT NULL,
	`clock` text NOT NULL,
	`reason` text NOT NULL,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`table_name`, `row_id`, `field`)
);
--> statement-breakpoint
CREATE INDEX `sync_deferred_reason` ON `sync_deferred` (`reason`);--> statement-breakpoint
CREATE TABLE `sync_files` (
	`sha256` text NOT NULL,
	`direction` text NOT NULL,
	`size` integer NOT NULL,
	`done_bytes` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`sha256`, `direction`)
);
--> statement-breakpoint
CREATE INDEX `sync_files_status` ON `sync_files` (`direction`,`status`);--> statement-breakpoint
CREATE TABLE `sync_parked` (
	`op_id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`reason` text NOT NULL,
	`parked_at` integer NOT NULL,
	`status` text NOT NULL,
	`retry_seq` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sync_parked_status` ON `sync_parked` (`status`,`seq`);--> statement-breakpoint
CREATE INDEX `sync_parked_retry` ON `sync_parked` (`retry_seq`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `base_clocks` text;