CREATE TABLE "attachment_holders" (
	"sha256" text NOT NULL,
	"user_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "attachment_holders_sha256_user_id_pk" PRIMARY KEY("sha256","user_id")
);
--> statement-breakpoint
ALTER TABLE "attachment_holders" ADD CONSTRAINT "attachment_holders_sha256_attachments_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."attachments"("sha256") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Every stored file's uploader has shown it holds the bytes.
INSERT INTO "attachment_holders" ("sha256", "user_id", "at")
  SELECT "sha256", "uploaded_by", COALESCE("completed_at", "created_at") FROM "attachments"
  ON CONFLICT DO NOTHING;--> statement-breakpoint
-- Migration 0007 marked every device claimed. A device no account ever logged in with (no token
-- names it) and that never sent a secret was met only through relayed USB bundles: its own first
-- login must claim it, not stay locked out as the relaying account's.
UPDATE "devices" SET "claimed" = false
  WHERE "secret_hash" IS NULL
    AND NOT EXISTS (SELECT 1 FROM "tokens" WHERE "tokens"."device_id" = "devices"."device_id");
