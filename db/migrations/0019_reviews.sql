CREATE TABLE `grade_applications` (
	`id` text PRIMARY KEY NOT NULL,
	`enterprise_id` text NOT NULL,
	`process_id` text,
	`kind` text NOT NULL,
	`target_grade` text,
	`route` text NOT NULL,
	`basis_grade` text,
	`basis_note` text,
	`inspection_ids` text DEFAULT '[]' NOT NULL,
	`plan_id` text,
	`reason` text,
	`applicant` text NOT NULL,
	`applicant_account` text,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`field_clocks` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`enterprise_id`) REFERENCES `enterprises`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`process_id`) REFERENCES `enterprise_processes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `grade_applications_enterprise` ON `grade_applications` (`enterprise_id`,`deleted`);--> statement-breakpoint
CREATE TABLE `grade_events` (
	`id` text PRIMARY KEY NOT NULL,
	`enterprise_id` text NOT NULL,
	`process_id` text,
	`grade` text,
	`previous_grade` text,
	`change` text NOT NULL,
	`cause` text NOT NULL,
	`reason` text,
	`document_no` text,
	`effective_date` text NOT NULL,
	`application_id` text,
	`violation_id` text,
	`inspection_id` text,
	`decided_by` text NOT NULL,
	`account` text,
	`role` text,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`field_clocks` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`enterprise_id`) REFERENCES `enterprises`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`process_id`) REFERENCES `enterprise_processes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`application_id`) REFERENCES `grade_applications`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`violation_id`) REFERENCES `violations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `grade_events_enterprise` ON `grade_events` (`enterprise_id`,`process_id`,`effective_date`,`created_at`);--> statement-breakpoint
CREATE TABLE `publications` (
	`id` text PRIMARY KEY NOT NULL,
	`scope` text NOT NULL,
	`edition` integer NOT NULL,
	`title` text NOT NULL,
	`published_at` integer NOT NULL,
	`published_by` text NOT NULL,
	`account` text,
	`content` text NOT NULL,
	`row_count` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`field_clocks` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `publications_scope` ON `publications` (`scope`,`edition`);--> statement-breakpoint
CREATE TABLE `review_steps` (
	`id` text PRIMARY KEY NOT NULL,
	`application_id` text NOT NULL,
	`round` integer NOT NULL,
	`step` text NOT NULL,
	`decision` text NOT NULL,
	`opinion` text,
	`request_visit` integer DEFAULT false NOT NULL,
	`decided_by` text NOT NULL,
	`account` text,
	`role` text,
	`decided_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`field_clocks` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `grade_applications`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_steps_application` ON `review_steps` (`application_id`,`round`);--> statement-breakpoint
ALTER TABLE `attachment_uses` ADD `application_id` text REFERENCES grade_applications(id);--> statement-breakpoint
CREATE INDEX `attachment_uses_application` ON `attachment_uses` (`application_id`,`deleted`);--> statement-breakpoint
ALTER TABLE `enterprises` ADD `guarantee` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `enterprises` ADD `guarantee_since` text;--> statement-breakpoint
ALTER TABLE `enterprises` ADD `guarantee_application_id` text;--> statement-breakpoint
-- Review steps, grade events and published lists are records of a moment (审核意见, 认定, 公告):
-- written once, never changed. The central store refuses the same (server/sync/tables.ts).
CREATE TRIGGER `review_steps_no_update` BEFORE UPDATE ON `review_steps`
WHEN new.application_id IS NOT old.application_id OR new.round IS NOT old.round
	OR new.step IS NOT old.step OR new.decision IS NOT old.decision OR new.opinion IS NOT old.opinion
	OR new.request_visit IS NOT old.request_visit OR new.decided_by IS NOT old.decided_by
	OR new.account IS NOT old.account OR new.role IS NOT old.role OR new.decided_at IS NOT old.decided_at
BEGIN
	SELECT RAISE(ABORT, '审核记录写入后不能修改');
END;
--> statement-breakpoint
CREATE TRIGGER `grade_events_no_update` BEFORE UPDATE ON `grade_events`
WHEN new.enterprise_id IS NOT old.enterprise_id OR new.process_id IS NOT old.process_id
	OR new.grade IS NOT old.grade OR new.previous_grade IS NOT old.previous_grade
	OR new.change IS NOT old.change OR new.cause IS NOT old.cause OR new.reason IS NOT old.reason
	OR new.document_no IS NOT old.document_no OR new.effective_date IS NOT old.effective_date
	OR new.application_id IS NOT old.application_id OR new.violation_id IS NOT old.violation_id
	OR new.inspection_id IS NOT old.inspection_id OR new.decided_by IS NOT old.decided_by
	OR new.created_at IS NOT old.created_at
BEGIN
	SELECT RAISE(ABORT, '等级变更记录写入后不能修改');
END;
--> statement-breakpoint
CREATE TRIGGER `publications_no_update` BEFORE UPDATE ON `publications`
WHEN new.scope IS NOT old.scope OR new.edition IS NOT old.edition OR new.title IS NOT old.title
	OR new.published_at IS NOT old.published_at OR new.content IS NOT old.content
	OR new.row_count IS NOT old.row_count
BEGIN
	SELECT RAISE(ABORT, '已发布的公示名单不能修改；如有变化请发布新一期');
END;
