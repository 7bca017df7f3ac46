CREATE TABLE "pushed_ops" (
	"device_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"op_id" text NOT NULL,
	CONSTRAINT "pushed_ops_device_id_seq_pk" PRIMARY KEY("device_id","seq")
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "secret_hash" text;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "claimed" boolean DEFAULT true NOT NULL;