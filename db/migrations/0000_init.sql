CREATE TABLE `enterprises` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`credit_code` text,
	`city_code` text NOT NULL,
	`county_code` text,
	`address` text,
	`contact_person` text,
	`contact_phone` text,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`field_clocks` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `enterprises_credit_code` ON `enterprises` (`credit_code`) WHERE "enterprises"."credit_code" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `enterprises_live_name` ON `enterprises` (`deleted`,`name`);--> statement-breakpoint
CREATE INDEX `enterprises_live_region_name` ON `enterprises` (`deleted`,`city_code`,`county_code`,`name`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`seq` integer PRIMARY KEY NOT NULL,
	`op_id` text NOT NULL,
	`device_id` text NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`values` text NOT NULL,
	`hlc` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
