import { Foundation1764300000000 } from './1764300000000-foundation';
import { AppSecrets1764750000000 } from './1764750000000-app-secrets';
import { NotificationAndDelivery1764400000000 } from './1764400000000-notification-and-delivery';
import { SupportRequests1764600000000 } from './1764600000000-support-requests';
import { Escalation1764700000000 } from './1764700000000-escalation';
import { Investigation1764500000000 } from './1764500000000-investigation';
import { PostmortemAnalysis1764800000000 } from './1764800000000-postmortem-analysis';
import { RcaReports1764810000000 } from './1764810000000-rca-reports';
import { RcaRequests1764820000000 } from './1764820000000-rca-requests';
import { ReadIndexes1764900000000 } from './1764900000000-read-indexes';
import { AttachmentBlobs1764910000000 } from './1764910000000-attachment-blobs';

/** In order. Add each new migration here; the service runs pending ones at start-up. */
export const MIGRATIONS = [
  Foundation1764300000000,
  NotificationAndDelivery1764400000000,
  SupportRequests1764600000000,
  Escalation1764700000000,
  Investigation1764500000000,
  AppSecrets1764750000000,
  PostmortemAnalysis1764800000000,
  RcaReports1764810000000,
  RcaRequests1764820000000,
  ReadIndexes1764900000000,
  AttachmentBlobs1764910000000,
];
