import type { FixRecipe } from '../fixes/recipe';
import type { RelatedInfo, Severity } from '../rules/types';

export const SYNTAX_ERROR = 'syntax-error';

export interface Finding {
  ruleId: string;
  severity: Severity;
  start: number;
  end: number;
  message: string;
  /** Logical id or Terraform address. */
  resourceId?: string;
  related: RelatedInfo[];
  fixes: FixRecipe[];
  /** Extra hover text (evidence drawn out). */
  hover?: string;
  /** Set when a suppression covers the finding. */
  suppressed?: { reason: string; by: string };
}
