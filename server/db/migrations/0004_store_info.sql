-- Who this store is (server/db/schema.ts storeInfo): a cache beside the database names it.
CREATE TABLE "store_info" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
