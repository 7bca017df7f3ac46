CREATE TABLE `attachment_uses` (
	`id` text PRIMARY KEY NOT NULL,
	`attachment_id` text NOT NULL,
	`inspection_id` text,
	`answer_id` text,
	`violation_id` text,
	`file_name` text NOT NULL,
	`taken_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`field_clocks` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`attachment_id`) REFERENCES `attachments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`answer_id`) REFERENCES `inspection_answers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`violation_id`) REFERENCES `violations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `attachment_uses_inspection` ON `attachment_uses` (`inspection_id`,`deleted`);--> statement-breakpoint
CREATE INDEX `attachment_uses_violation` ON `attachment_uses` (`violation_id`,`deleted`);--> statement-breakpoint
CREATE INDEX `attachment_uses_attachment` ON `attachment_uses` (`attachment_id`);--> statement-breakpoint
CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`size` integer NOT NULL,
	`mime_type` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`field_clocks` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `inspection_answers` (
	`id` text PRIMARY KEY NOT NULL,
	`inspection_id` text NOT NULL,
	`inspection_process_id` text NOT NULL,
	`indicator_id` text NOT NULL,
	`fact` text,
	`note` text,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`field_clocks` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`inspection_process_id`) REFERENCES `inspection_processes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inspection_answers_indicator` ON `inspection_answers` (`inspection_process_id`,`indicator_id`);--> statement-breakpoint
CREATE INDEX `inspection_answers_inspection` ON `inspection_answers` (`inspection_id`);--> statement-breakpoint
CREATE TABLE `inspection_members` (
	`id` text PRIMARY KEY NOT NULL,
	`inspection_id` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`confirmed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`field_clocks` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `inspection_members_inspection` ON `inspection_members` (`inspection_id`,`deleted`);--> statement-breakpoint
CREATE TABLE `inspection_processes` (
	`id` text PRIMARY KEY NOT NULL,
	`inspection_id` text NOT NULL,
	`process_id` text NOT NULL,
	`ruleset_id` text NOT NULL,
	`ruleset_edition` text NOT NULL,
	`ruleset_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`field_clocks` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`process_id`) REFERENCES `enterprise_processes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ruleset_hash`) REFERENCES `pinned_rulesets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inspection_processes_process` ON `inspection_processes` (`inspection_id`,`process_id`);--> statement-breakpoint
CREATE TABLE `inspections` (
	`id` text PRIMARY KEY NOT NULL,
	`enterprise_id` text NOT NULL,
	`date` text NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`note` text,
	`revision_of` text,
	`finalized_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`field_clocks` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`enterprise_id`) REFERENCES `enterprises`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revision_of`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `inspections_enterprise_date` ON `inspections` (`enterprise_id`,`deleted`,`date`);--> statement-breakpoint
CREATE INDEX `inspections_status` ON `inspections` (`status`,`deleted`);--> statement-breakpoint
CREATE INDEX `inspections_revision_of` ON `inspections` (`revision_of`);--> statement-breakpoint
CREATE TABLE `pinned_rulesets` (
	`id` text PRIMARY KEY NOT NULL,
	`ruleset_id` text NOT NULL,
	`edition` text NOT NULL,
	`json` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`field_clocks` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `violations` (
	`id` text PRIMARY KEY NOT NULL,
	`enterprise_id` text NOT NULL,
	`date` text NOT NULL,
	`kind` text NOT NULL,
	`note` text,
	`inspection_id` text,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`field_clocks` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`enterprise_id`) REFERENCES `enterprises`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `violations_enterprise` ON `violations` (`enterprise_id`,`deleted`,`date`);