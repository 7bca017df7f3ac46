-- Uploads in progress become each account's own (server/db/schema.ts attachmentUploads): a
-- partial file of another account can no longer be reset, extended or claimed. Partial uploads
-- already here move over, to the account that sent their first chunk.
CREATE TABLE "attachment_upload_chunks" (
	"sha256" text NOT NULL,
	"user_id" text NOT NULL,
	"offset" bigint NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "attachment_upload_chunks_sha256_user_id_offset_pk" PRIMARY KEY("sha256","user_id","offset")
);
--> statement-breakpoint
CREATE TABLE "attachment_uploads" (
	"sha256" text NOT NULL,
	"user_id" text NOT NULL,
	"size" bigint NOT NULL,
	"received" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "attachment_uploads_sha256_user_id_pk" PRIMARY KEY("sha256","user_id")
);
--> statement-breakpoint
ALTER TABLE "attachment_upload_chunks" ADD CONSTRAINT "attachment_upload_chunks_upload_fk" FOREIGN KEY ("sha256","user_id") REFERENCES "public"."attachment_uploads"("sha256","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachment_uploads" ADD CONSTRAINT "attachment_uploads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
INSERT INTO "attachment_uploads" ("sha256", "user_id", "size", "received", "created_at", "updated_at")
	SELECT "sha256", "uploaded_by", "size", "received", "created_at", "created_at" FROM "attachments"
	WHERE NOT "complete" AND "uploaded_by" IN (SELECT "id" FROM "users");--> statement-breakpoint
INSERT INTO "attachment_upload_chunks" ("sha256", "user_id", "offset", "data")
	SELECT c."sha256", u."user_id", c."offset", c."data" FROM "attachment_chunks" c
	JOIN "attachment_uploads" u ON u."sha256" = c."sha256";--> statement-breakpoint
DELETE FROM "attachments" WHERE NOT "complete";--> statement-breakpoint
ALTER TABLE "attachments" DROP COLUMN "received";--> statement-breakpoint
ALTER TABLE "attachments" DROP COLUMN "complete";