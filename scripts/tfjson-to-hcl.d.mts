/** Terraform JSON (parsed) -> HCL text. See tfjson-to-hcl.mjs. */
export function toHcl(json: unknown): string;
