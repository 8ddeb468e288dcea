// The shape of a rule (DESIGN.md "A rule"): metadata, a pure check over the model and facts,
// fix recipes described on the model, and docs in rule.md next to it.

import type { Facts } from '../facts';
import type { Resource, TemplateDocument } from '../model/document';
import type { Format } from '../parse/detect';
import type { Span } from '../parse/tree';
import type { FixRecipe } from '../fixes/recipe';
import type { Settings } from '../engine/settings';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type FixSafety = 'none' | 'safe' | 'unsafe';

export type Category = 'exposure' | 'imds' | 'transport' | 'public' | 'connectivity' | 'policy';

export interface RuleMeta {
  id: string;
  summary: string;
  category: Category;
  severity: Severity;
  formats: Format[];
  /** Resource types the rule reads (CFN and Terraform names); '*' for policies everywhere. */
  resourceTypes: string[];
  /** The most behaviour-changing fix the rule offers. */
  fixSafety: FixSafety;
  /**
   * Precision stance: what the rule deliberately does not report (safe by AWS semantics, or
   * unknowable), in one short sentence. Shown in the README rule table.
   */
  doesNotReport?: string;
  references: {
    aws?: string[];
    cwe?: string[];
    /** Other tools' ids that mean the same thing; their suppressions suppress this rule. */
    checkov?: string[];
    cfnNag?: string[];
    cfnLint?: string[];
    securityHub?: string[];
  };
}

export interface RelatedInfo {
  span: Span;
  message: string;
}

export interface FindingInput {
  /** The offending element. */
  span: Span;
  message: string;
  /** Overrides the rule's default severity for this finding (e.g. explicit vs default). */
  severity?: Severity;
  /** The resource the finding belongs to (for suppressions and the CLI's `resource`). */
  resource?: Resource;
  related?: RelatedInfo[];
  /**
   * The fixes, or a function that builds them: building recipes costs time on every keystroke,
   * and they are needed only when the user asks for code actions.
   */
  fixes?: FixRecipe[] | (() => FixRecipe[]);
  /** Extra text for hover (e.g. the exposure path drawn out). */
  hover?: string;
}

export interface RuleContext {
  doc: TemplateDocument;
  facts: Facts;
  settings: Settings;
  report(finding: FindingInput): void;
}

/** Hover docs for a control (property) a rule reads, shown on that key anywhere in a resource of the given types. */
export interface ControlDoc {
  /** Property / attribute names (CFN and Terraform spellings). */
  keys: string[];
  /** Resource types where the key means this control; omit for any type. */
  resourceTypes?: string[];
  markdown: string;
}

export interface Rule {
  meta: RuleMeta;
  /** Hover docs for the properties this rule reads. */
  controls?: ControlDoc[];
  /** The rule's rule.md, shown on hover and by `iac-netsec rules --docs`. */
  docs: string;
  check(context: RuleContext): void;
}
