DROP INDEX "meter_lot_members_equipment_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "meter_lot_members_equipment_idx" ON "meter_lot_members" USING btree ("equipment_id");