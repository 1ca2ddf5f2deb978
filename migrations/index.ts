import { Foundation1764300000000 } from './1764300000000-foundation';
import { NotificationAndDelivery1764400000000 } from './1764400000000-notification-and-delivery';

/** In order. Add each new migration here; the service runs pending ones at start-up. */
export const MIGRATIONS = [Foundation1764300000000, NotificationAndDelivery1764400000000];
