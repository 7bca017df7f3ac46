CREATE TABLE `enterprise_processes` (
	`id` text PRIMARY KEY NOT NULL,
	`enterprise_id` text NOT NULL,
	`industry_code` text NOT NULL,
	`branch` text NOT NULL,
	`name` text,
	`ruleset_id` text,
	`current_grade` text,
	`target_grade` text,
	`differentiators` text,
	`problems` text,
	`improvements` text,
	`due_date` text,
	`remark` text,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`field_clocks` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`enterprise_id`) REFERENCES `enterprises`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `enterprise_processes_enterprise` ON `enterprise_processes` (`enterprise_id`,`deleted`);--> statement-breakpoint
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
CREATE TABLE `rulesets` (
	`id` text PRIMARY KEY NOT NULL,
	`ruleset_id` text NOT NULL,
	`edition` text NOT NULL,
	`json` text NOT NULL,
	`imported_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`field_clocks` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rulesets_ruleset_edition` ON `rulesets` (`ruleset_id`,`edition`);--> statement-breakpoint
CREATE TABLE `sync_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
