import { ActionItem } from './action-item.entity';
import { PostmortemAnalysis } from './postmortem-analysis.entity';
import { PostmortemParticipant } from './postmortem-participant.entity';

export { ActionItem, PostmortemAnalysis, PostmortemParticipant };
export const POSTMORTEM_ENTITIES = [PostmortemAnalysis, PostmortemParticipant, ActionItem];
