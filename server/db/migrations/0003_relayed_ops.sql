CREATE TABLE "relayed_ops" (
	"device_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"op_id" text NOT NULL,
	"user_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "relayed_ops_device_id_seq_pk" PRIMARY KEY("device_id","seq")
);
