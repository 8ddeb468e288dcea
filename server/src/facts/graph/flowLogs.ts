// Flow logs and what they cover (a VPC, a subnet, a network interface, a transit gateway),
// and whether a target could not be linked (it may still be a VPC of this document).

import type { Resource } from '../../model/document';
import { isUnknownInPlan } from '../../model/document';
import { EndpointGraph } from './endpoints';
import { push } from './properties';
import type { FlowLogFact } from './types';

export abstract class FlowLogGraph extends EndpointGraph {
  readonly flowLogs: FlowLogFact[] = [];

  private readonly flowLogsByTarget = new Map<string, FlowLogFact[]>();

  /** A flow log (`AWS::EC2::FlowLog`, `aws_flow_log`) and its targets. */
  protected readFlowLog(resource: Resource): void {
    const cfn = this.cfn;
    const keys = cfn
      ? ['ResourceId']
      : ['vpc_id', 'subnet_id', 'eni_id', 'transit_gateway_id', 'transit_gateway_attachment_id'];
    const targets = keys.flatMap((key) => this.links(resource, [key]));
    // A target that is not linked may still be a VPC of this document when its value cannot be
    // known (a parameter without default, a variable). A flow log without any target covers
    // nothing, and a literal id, an import or a data source names a VPC that exists already:
    // neither may provide the flow log of a VPC this document creates.
    const unknownTarget = keys.some(
      (key) =>
        (this.unlinked(resource, [key]) && !this.namesExisting(resource, [key])) ||
        (!!this.plan && isUnknownInPlan(resource, [key]) && !this.links(resource, [key]).length),
    );
    this.flowLogs.push({ resource, targets, unknownTarget });
  }

  protected indexFlowLogs(): void {
    for (const log of this.flowLogs) for (const t of log.targets) push(this.flowLogsByTarget, t.id, log);
  }

  flowLogsOf(id: string): FlowLogFact[] {
    return this.flowLogsByTarget.get(id) ?? [];
  }
}
