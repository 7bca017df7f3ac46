/** The official grade (认定等级): its history, the changes a reviewer makes, the 降级 proposals. */
export { changeGrade } from './change';
export { gradeHistory } from './history';
export { listProposals, proposalsFor } from './proposals';
export { recordGradeEvent, type GradeEventInput } from './record';
