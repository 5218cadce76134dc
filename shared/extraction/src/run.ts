import type { TextSpan } from './evidence.ts';
import type { LayoutLine } from './layout.ts';
import type { SectionKind } from './sections.ts';

/** Lines under the section heading that governs them. */
export interface Run {
  kind: SectionKind | undefined;
  /** "Discontinued Medications", "Past Medications": items without a status of their own are not current. */
  past?: boolean;
  lines: { line: LayoutLine; span: TextSpan }[];
  /** The heading or question that opened the run. */
  heading?: string;
  /** Opened by a heading the section vocabulary knows (a named "other" section, such as a forecast, governs its tables). */
  named?: boolean;
  /** The heading asks to tick options ("check all that apply"): an option without a mark is not an answer. */
  checklist?: boolean;
  /** A table's header row is among the lines. */
  table?: boolean;
  /** Opened by an inline label ("Allergies: …") on the line that starts it. */
  inline?: boolean;
}
