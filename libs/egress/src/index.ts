export * from './destination-host';
export * from './egress-guard';
export * from './egress-policy';
export * from './host-resolver';
export * from './ip-address';
export * from './special-purpose-ranges';
export * from './egress-settings';
