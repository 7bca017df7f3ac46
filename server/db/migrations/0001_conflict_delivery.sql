ALTER TABLE "conflicts" ADD COLUMN "server_seq" bigint;--> statement-breakpoint
CREATE INDEX "conflicts_device_seq" ON "conflicts" USING btree ("device_id","server_seq");--> statement-breakpoint
-- Conflicts recorded before this version reach their devices once, at their next pull.
UPDATE "conflicts" SET "server_seq" = nextval('server_seq') WHERE "server_seq" IS NULL;
