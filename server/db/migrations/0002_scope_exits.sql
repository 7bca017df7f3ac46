CREATE TABLE "scope_exits" (
	"server_seq" bigint PRIMARY KEY NOT NULL,
	"enterprise_id" text NOT NULL,
	"city_code" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "scope_exits_city_seq" ON "scope_exits" USING btree ("city_code","server_seq");