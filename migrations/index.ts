import { Foundation1764300000000 } from './1764300000000-foundation';
import { NotificationAndDelivery1764400000000 } from './1764400000000-notification-and-delivery';
import { SupportRequests1764600000000 } from './1764600000000-support-requests';
import { Escalation1764700000000 } from './1764700000000-escalation';
import { Investigation1764500000000 } from './1764500000000-investigation';

/** In order. Add each new migration here; the service runs pending ones at start-up. */
export const MIGRATIONS = [
  Foundation1764300000000,
  NotificationAndDelivery1764400000000,
  SupportRequests1764600000000,
  Escalation1764700000000,
  Investigation1764500000000,
];
