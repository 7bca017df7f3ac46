CREATE TABLE `plan_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`plan_id` text NOT NULL,
	`version` integer NOT NULL,
	`content` text NOT NULL,
	`comment` text,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`field_clocks` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `plan_versions_plan_version` ON `plan_versions` (`plan_id`,`version`);--> statement-breakpoint
CREATE TABLE `plans` (
	`id` text PRIMARY KEY NOT NULL,
	`enterprise_id` text NOT NULL,
	`status` text NOT NULL,
	`current_version` integer NOT NULL,
	`reviewed_version` integer,
	`reviewed_by` text,
	`reviewed_at` integer,
	`confirmed_version` integer,
	`confirmed_by` text,
	`confirmed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`field_clocks` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`enterprise_id`) REFERENCES `enterprises`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `plans_enterprise` ON `plans` (`enterprise_id`,`deleted`);--> statement-breakpoint
CREATE INDEX `plans_status` ON `plans` (`status`);