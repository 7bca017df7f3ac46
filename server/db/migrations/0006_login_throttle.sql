-- Login throttling counts per account and per address, each attempt before its password is
-- checked (server/auth/throttle.ts). The old per (username, address) failures are only minutes of
-- state: they are dropped, not carried over.
CREATE TABLE "login_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP TABLE "login_attempts" CASCADE;