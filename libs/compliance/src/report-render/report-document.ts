/** A compliance report as the API's GraphQL `complianceReport` answers it (the fields rendered). */
export interface ReportDocument {
  readonly framework: string;
  readonly from: string;
  readonly to: string;
  readonly catalogVersion: string;
  readonly silenceResolutionMinutes: number;
  readonly controls: readonly {
    readonly id: string;
    readonly title: string;
    readonly status: string;
    readonly evidenceCount: number;
    readonly firstSeen: string | null;
    readonly lastSeen: string | null;
    readonly findings: readonly string[];
  }[];
  readonly silenceGaps: readonly {
    readonly product: string;
    readonly cluster: string | null;
    readonly from: string;
    readonly to: string;
    readonly minutes: number;
  }[];
  readonly retention: {
    readonly met: boolean;
    readonly requiredDays: number;
    readonly coveredDays: number;
    readonly immediateDays: number;
    readonly oldestEvent: string | null;
  } | null;
  readonly fieldCompleteness: readonly {
    readonly product: string;
    readonly events: number;
    readonly fields: readonly { readonly field: string; readonly share: number }[];
  }[];
}

/** The GraphQL selection that fills a ReportDocument. */
export const REPORT_SELECTION = `framework from to catalogVersion silenceResolutionMinutes
  controls { id title status evidenceCount firstSeen lastSeen findings }
  silenceGaps { product cluster from to minutes }
  retention { met requiredDays coveredDays immediateDays oldestEvent }
  fieldCompleteness { product events fields { field share } }`;
