/**
 * The AWS accounts whose ECR registries hold the EKS add-on images (the VPC CNI, the Pod Identity
 * agent), by region, where it is not 602401143452: nodes pull them with their own role, so the
 * node boundary names them. From "View Amazon container image registries for Amazon EKS add-ons".
 */
const EKS_ADDON_REGISTRIES: Readonly<Record<string, string>> = {
  'af-south-1': '877085696533',
  'ap-east-1': '800184023465',
  'ap-east-2': '533267051163',
  'ap-south-2': '900889452093',
  'ap-southeast-3': '296578399912',
  'ap-southeast-4': '491585149902',
  'ap-southeast-5': '151610086707',
  'ap-southeast-6': '333609536671',
  'ap-southeast-7': '121268973566',
  'cn-north-1': '918309763551',
  'cn-northwest-1': '961992271922',
  'eu-central-2': '900612956339',
  'eu-south-1': '590381155156',
  'eu-south-2': '455263428931',
  'me-central-1': '759879836304',
  'me-south-1': '558608220178',
  'us-gov-east-1': '151742754352',
  'us-gov-west-1': '013241004608',
};
const EKS_ADDON_REGISTRY = '602401143452';

/** Partition of a region, for ARNs. */
function partitionOfRegion(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/** The AWS accounts of the EKS add-on registries of a partition, every region's. */
export function eksAddonRegistryAccounts(partition: string): string[] {
  const accounts = Object.entries(EKS_ADDON_REGISTRIES).filter(([region]) => partitionOfRegion(region) === partition).map(([, account]) => account);
  if (partition === 'aws') accounts.push(EKS_ADDON_REGISTRY);
  return [...new Set(accounts)].sort();
}
