CREATE SEQUENCE "public"."server_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "attachment_chunks" (
	"sha256" text NOT NULL,
	"offset" bigint NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "attachment_chunks_sha256_offset_pk" PRIMARY KEY("sha256","offset")
);
--> statement-breakpoint
CREATE TABLE "attachments" (
	"sha256" text PRIMARY KEY NOT NULL,
	"size" bigint NOT NULL,
	"received" bigint DEFAULT 0 NOT NULL,
	"complete" boolean DEFAULT false NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "conflicts" (
	"id" text PRIMARY KEY NOT NULL,
	"table_name" text NOT NULL,
	"row_id" text NOT NULL,
	"field" text NOT NULL,
	"losing_value" jsonb,
	"losing_clock" text NOT NULL,
	"winning_clock" text NOT NULL,
	"device_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"device_id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"seen_seq" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_push_at" timestamp with time zone,
	"last_pull_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"username" text NOT NULL,
	"ip" text NOT NULL,
	"failures" integer NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "login_attempts_username_ip_pk" PRIMARY KEY("username","ip")
);
--> statement-breakpoint
CREATE TABLE "parked_ops" (
	"device_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"op_id" text NOT NULL,
	"user_id" text NOT NULL,
	"op" jsonb NOT NULL,
	"code" text NOT NULL,
	"reason" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "parked_ops_device_id_seq_pk" PRIMARY KEY("device_id","seq")
);
--> statement-breakpoint
CREATE TABLE "rows" (
	"table_name" text NOT NULL,
	"row_id" text NOT NULL,
	"values" jsonb NOT NULL,
	"clocks" jsonb NOT NULL,
	"field_seqs" jsonb NOT NULL,
	"enterprise_id" text,
	"city_code" text,
	"server_seq" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rows_table_name_row_id_pk" PRIMARY KEY("table_name","row_id")
);
--> statement-breakpoint
CREATE TABLE "tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"device_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"scope" text NOT NULL,
	"password_hash" text NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "users_role" CHECK ("users"."role" in ('帮扶队员', '专家', '市级审核', '自治区复审', '管理员'))
);
--> statement-breakpoint
ALTER TABLE "attachment_chunks" ADD CONSTRAINT "attachment_chunks_sha256_attachments_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."attachments"("sha256") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conflicts_row" ON "conflicts" USING btree ("table_name","row_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rows_server_seq" ON "rows" USING btree ("server_seq");--> statement-breakpoint
CREATE INDEX "rows_city_seq" ON "rows" USING btree ("city_code","server_seq");--> statement-breakpoint
CREATE INDEX "rows_enterprise" ON "rows" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "rows_attachment_use" ON "rows" USING btree (("values" ->> 'attachmentId')) WHERE "rows"."table_name" = 'attachment_uses';--> statement-breakpoint
CREATE INDEX "tokens_user" ON "tokens" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username" ON "users" USING btree ("username");