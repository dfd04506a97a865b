import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Construct } from 'constructs';
import { subnetLayout } from './subnet-layout';

export interface NetworkProps {
  /** Name tag of the VPC and prefix of its parts' names. */
  readonly name: string;
  /** VPC network, /16 to /20. */
  readonly cidr: string;
  /** Zones to spread subnets over, from platform.yaml; no data source, so plans run offline. */
  readonly availabilityZones: readonly string[];
  /**
   * Tag that lets the cluster of this name place load balancers in the subnets.
   * @default no cluster tag
   */
  readonly clusterName?: string;
}

/**
 * A VPC with a private and a public subnet per zone and one NAT gateway for outbound traffic. The
 * VPC's default security group stays as AWS makes it and nothing of ours uses it: every interface
 * the stacks create names its own group (closing the default group would need rights over an
 * untagged group, which would reach every group of the account).
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  readonly privateSubnetIds: string[];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const layout = subnetLayout(props.cidr, props.availabilityZones);
    const clusterTag = props.clusterName ? { [`kubernetes.io/cluster/${props.clusterName}`]: 'shared' } : {};
    this.vpc = new Vpc(this, 'vpc', { cidrBlock: props.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: props.name } });
    const gateway = new InternetGateway(this, 'internet-gateway', { vpcId: this.vpc.id, tags: { Name: props.name } });

    const publicRoutes = new RouteTable(this, 'public-routes', { vpcId: this.vpc.id, tags: { Name: `${props.name}-public` } });
    new Route(this, 'public-default-route', { routeTableId: publicRoutes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: gateway.id });
    const publicSubnets = layout.map(({ zone, publicCidr }) => {
      const subnet = new Subnet(this, `public-${zone}`, {
        vpcId: this.vpc.id, cidrBlock: publicCidr, availabilityZone: zone, mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-public-${zone}`, 'kubernetes.io/role/elb': '1', ...clusterTag },
      });
      new RouteTableAssociation(this, `public-${zone}-routes`, { subnetId: subnet.id, routeTableId: publicRoutes.id });
      return subnet;
    });

    const natAddress = new Eip(this, 'nat-address', { domain: 'vpc', tags: { Name: `${props.name}-nat` } });
    const nat = new NatGateway(this, 'nat-gateway', { allocationId: natAddress.id, subnetId: publicSubnets[0]!.id, tags: { Name: props.name }, dependsOn: [gateway] });
    const privateRoutes = new RouteTable(this, 'private-routes', { vpcId: this.vpc.id, tags: { Name: `${props.name}-private` } });
    new Route(this, 'private-default-route', { routeTableId: privateRoutes.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id });
    this.privateSubnetIds = layout.map(({ zone, privateCidr }) => {
      const subnet = new Subnet(this, `private-${zone}`, {
        vpcId: this.vpc.id, cidrBlock: privateCidr, availabilityZone: zone, mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-private-${zone}`, 'kubernetes.io/role/internal-elb': '1', ...clusterTag },
      });
      new RouteTableAssociation(this, `private-${zone}-routes`, { subnetId: subnet.id, routeTableId: privateRoutes.id });
      return subnet.id;
    });
  }
}
