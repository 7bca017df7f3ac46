-- A finalized visit keeps the grades it was finalized with (issue #15): finalization writes
-- them here in the same UPDATE (and the same sync op) that sets status = 'finalized', so the
-- triggers of migration 0003 freeze them with the rest of the record. Visits finalized before
-- this column existed keep null and are graded live, as they always were.
ALTER TABLE `inspections` ADD `frozen_grading` text;
