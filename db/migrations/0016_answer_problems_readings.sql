ALTER TABLE `inspection_answers` ADD `problems` text;--> statement-breakpoint
ALTER TABLE `inspection_answers` ADD `readings` text;