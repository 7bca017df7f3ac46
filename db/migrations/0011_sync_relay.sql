-- Ops of other devices that arrived on a USB bundle, kept whole so this device can relay them to
-- the central store for a laptop that never connects itself (POST /sync/relay). In the source
-- device's seq order; status pending → done (the store accepted or had them) or parked (it
-- refused them, with its reason), or blocked (the store will not take that device's ops from
-- this account, or a bundle in between is missing), with the reason.
CREATE TABLE `sync_relay` (
	`device_id` text NOT NULL,
	`seq` integer NOT NULL,
	`op_id` text NOT NULL,
	`op` text NOT NULL,
	`status` text NOT NULL DEFAULT 'pending' CHECK (`status` IN ('pending', 'done', 'parked', 'blocked')),
	`reason` text,
	`imported_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY (`device_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `sync_relay_status` ON `sync_relay` (`status`, `device_id`, `seq`);
