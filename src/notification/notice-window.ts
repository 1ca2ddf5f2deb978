import type { NoticeConfig } from '../config/app-config';
import type { Severity } from '../incident/domain/severity-targets';

export interface NoticeWindow {
  notifyTargetAt: Date;
  notifyAutosendAt: Date;
  notifyDeadlineAt: Date;
}

const MINUTE = 60_000;

/** The first-notice clock of a customer, counted from when its impact was defined. */
export function noticeWindow(definedAt: Date, notice: NoticeConfig): NoticeWindow {
  const at = (minutes: number) => new Date(definedAt.getTime() + minutes * MINUTE);
  return {
    notifyTargetAt: at(notice.targetMinutes),
    notifyAutosendAt: at(notice.autosendMinutes),
    notifyDeadlineAt: at(notice.deadlineMinutes),
  };
}

/** Minutes between updates: the incident's override, else the severity's default; 0 = on change only. */
export function cadenceMinutes(severity: Severity, override: number | null, notice: NoticeConfig): number {
  return override ?? notice.cadenceMinutes[severity];
}

/** When the next update is due after one sent at `sentAt` (null when updates follow changes only). */
export function nextUpdateAt(sentAt: Date, minutes: number): Date | null {
  return minutes > 0 ? new Date(sentAt.getTime() + minutes * MINUTE) : null;
}
