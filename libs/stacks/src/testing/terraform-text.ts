/**
 * A literal string of synthesized Terraform JSON as Terraform reads it: `$${` is the text `${`,
 * `%%{` the text `%{`. For tests comparing the text a resource gets with what a construct meant.
 */
export function asTerraformReads(json: string): string {
  return json.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}
