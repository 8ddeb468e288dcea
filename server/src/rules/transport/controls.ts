// Hover docs for the controls the IMDS and transport-encryption rules read: what the control
// does, its default, its secure value, and why (from AWS's own guidance).

import type { ControlDoc } from '../types';

export const SEARCH_TYPES = [
  'AWS::OpenSearchService::Domain',
  'AWS::Elasticsearch::Domain',
  'aws_opensearch_domain',
  'aws_elasticsearch_domain',
];
/** Amazon CloudSearch domains: the same endpoint options (Terraform `endpoint_options`), their own TLS policies. */
export const CLOUDSEARCH_TYPES = ['AWS::CloudSearch::Domain', 'aws_cloudsearch_domain'];
const CLOUDFRONT_TYPES = ['AWS::CloudFront::Distribution', 'aws_cloudfront_distribution'];

const INSTANCE_TYPES = [
  'AWS::EC2::Instance',
  'AWS::EC2::LaunchTemplate',
  'AWS::AutoScaling::LaunchConfiguration',
  'aws_instance',
  'aws_launch_template',
  'aws_launch_configuration',
];

export const IMDS_CONTROLS: ControlDoc[] = [
  {
    keys: ['MetadataOptions', 'metadata_options'],
    resourceTypes: INSTANCE_TYPES,
    markdown:
      "**Instance metadata options.** Configure the instance metadata service (IMDS), which hands out the instance role's temporary credentials at `169.254.169.254`. Secure: `HttpTokens: required` (IMDSv2 only) and `HttpPutResponseHopLimit: 1` (2 on container hosts), or `HttpEndpoint: disabled` when nothing on the instance needs metadata. Default when absent: tokens optional (IMDSv1 allowed) unless the AMI or the account default says otherwise, hop limit 1. Keep credentials off the metadata service for anything that can be tricked into fetching a URL. [Configure the instance metadata options](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html)",
  },
  {
    keys: ['HttpTokens', 'http_tokens'],
    resourceTypes: INSTANCE_TYPES,
    markdown:
      "**HttpTokens.** `required` makes the metadata service accept only IMDSv2 requests, which carry a session token obtained with a `PUT`; `optional` also answers plain IMDSv1 `GET`s. Default: `optional` unless the AMI (`ImdsSupport: v2.0`) or the account-level default requires tokens. Secure: `required`. With IMDSv1, a server-side request forgery or an open proxy on the instance reads the role's credentials with one GET; the PUT and the token header are what those attacks cannot send. [Use IMDSv2](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html)",
  },
  {
    keys: ['HttpPutResponseHopLimit', 'http_put_response_hop_limit'],
    resourceTypes: INSTANCE_TYPES,
    markdown:
      "**HttpPutResponseHopLimit.** The IP time-to-live of the IMDSv2 token response: how many network hops the token may travel. Default: 1 (EKS-optimised and container setups often use 2). Secure: 1, or 2 on container hosts where containers in their own network namespace must reach IMDSv2. Higher values let forwarded requests (a proxy, a container behind another hop) obtain tokens, and with them the node role's credentials.",
  },
  {
    keys: ['HttpEndpoint', 'http_endpoint'],
    resourceTypes: INSTANCE_TYPES,
    markdown:
      '**HttpEndpoint.** `enabled` (default) or `disabled`. Disabling the metadata endpoint removes the credential path entirely; nothing on the instance can then read metadata or role credentials from IMDS.',
  },
  {
    keys: [
      'InstanceMetadataServiceConfiguration',
      'MinimumInstanceMetadataServiceVersion',
      'instance_metadata_service_configuration',
      'minimum_instance_metadata_service_version',
    ],
    resourceTypes: ['AWS::SageMaker::NotebookInstance', 'aws_sagemaker_notebook_instance'],
    markdown:
      '**Minimum IMDS version of a SageMaker notebook instance.** `"1"` (the default when absent) accepts IMDSv1 and IMDSv2; `"2"` accepts only IMDSv2 session-token requests. Secure: `"2"`, so code running in the notebook cannot be tricked into leaking the execution role\'s credentials with a plain GET.',
  },
];

const LB_LISTENER_TYPES = ['AWS::ElasticLoadBalancingV2::Listener', 'aws_lb_listener', 'aws_alb_listener'];

export const LISTENER_CONTROLS: ControlDoc[] = [
  {
    keys: ['Protocol', 'protocol'],
    resourceTypes: LB_LISTENER_TYPES,
    markdown:
      '**Listener protocol.** Application Load Balancers listen on `HTTP` or `HTTPS`; Network Load Balancers on `TCP`, `TLS`, `UDP`, `TCP_UDP`. Secure: terminate TLS at the load balancer (`HTTPS`/`TLS` with an ACM certificate) and keep an `HTTP` listener only to redirect to HTTPS. Offloading TLS to the load balancer keeps certificates in ACM and traffic encrypted on the internet side. Terraform defaults to `HTTP` on an Application Load Balancer. [Listeners for your Application Load Balancers](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html)',
  },
  {
    keys: ['DefaultActions', 'default_action'],
    resourceTypes: LB_LISTENER_TYPES,
    markdown:
      '**Default actions.** What the listener does with a request no rule matches: `forward` to a target group, `redirect`, `fixed-response`, or authenticate first. On an HTTP listener, the secure default action is a `redirect` with `Protocol: HTTPS`, `Port: 443`, `StatusCode: HTTP_301`, so no content is ever served in plaintext. [Redirect actions](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions)',
  },
  {
    keys: ['SslPolicy', 'ssl_policy'],
    resourceTypes: LB_LISTENER_TYPES,
    markdown:
      '**SslPolicy.** The security policy of an HTTPS/TLS listener: which TLS versions and ciphers clients may negotiate. Default when absent: `ELBSecurityPolicy-2016-08`, which accepts TLS 1.0 and 1.1. Secure: `ELBSecurityPolicy-TLS13-1-2-2021-06` (TLS 1.2 and 1.3; `ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04` for FIPS; the `-PQ-` variants add post-quantum key exchange). TLS 1.0/1.1 are deprecated (RFC 8996) and fail PCI DSS. [Security policies](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html)',
  },
];

export const TLS_POLICY_CONTROLS: ControlDoc[] = [
  ...LISTENER_CONTROLS.filter((c) => c.keys.includes('SslPolicy')),
  {
    keys: ['Policies', 'PolicyNames', 'Reference-Security-Policy'],
    resourceTypes: ['AWS::ElasticLoadBalancing::LoadBalancer'],
    markdown:
      '**Classic Load Balancer SSL negotiation policy.** An `SSLNegotiationPolicyType` policy names a predefined `Reference-Security-Policy` or lists protocols (`Protocol-TLSv1`, `Protocol-TLSv1.1`, `Protocol-TLSv1.2`) and ciphers. A listener without one uses `ELBSecurityPolicy-2016-08` (TLS 1.0+). Secure: `ELBSecurityPolicy-TLS-1-2-2017-01`; better, move to an Application or Network Load Balancer with TLS 1.3 policies.',
  },
  {
    keys: ['SecurityPolicy', 'security_policy'],
    resourceTypes: [
      'AWS::ApiGateway::DomainName',
      'AWS::ApiGatewayV2::DomainName',
      'aws_api_gateway_domain_name',
      'aws_apigatewayv2_domain_name',
    ],
    markdown:
      '**API Gateway security policy.** The minimum TLS version and ciphers of a custom domain: `TLS_1_0` (accepts TLS 1.0+), `TLS_1_2`, or an enhanced `SecurityPolicy_TLS13_...` policy. Older domains and templates that do not set it may be on `TLS_1_0`. Secure: `TLS_1_2` or an enhanced TLS 1.2/1.3 policy. [Security policies](https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html)',
  },
  {
    keys: ['TLSSecurityPolicy', 'tls_security_policy'],
    resourceTypes: SEARCH_TYPES,
    markdown:
      '**TLSSecurityPolicy.** The TLS policy of the domain endpoint: `Policy-Min-TLS-1-0-2019-07` (TLS 1.0 to 1.2), `Policy-Min-TLS-1-2-2019-07`, or `Policy-Min-TLS-1-2-PFS-2023-10` (TLS 1.2 and 1.3 with forward secrecy). Secure: `Policy-Min-TLS-1-2-PFS-2023-10`.',
  },
  {
    keys: ['MinimumProtocolVersion', 'minimum_protocol_version'],
    resourceTypes: CLOUDFRONT_TYPES,
    markdown:
      '**MinimumProtocolVersion.** The lowest TLS version (and cipher set) CloudFront accepts from viewers on a custom certificate: `SSLv3`, `TLSv1`, `TLSv1_2016`, `TLSv1.1_2016`, `TLSv1.2_2018/2019/2021/2025`, `TLSv1.3_2025`. Default: `TLSv1`. Secure: `TLSv1.2_2021` or newer. With the default `*.cloudfront.net` certificate the floor is TLSv1 whatever is set. [Supported protocols and ciphers](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html)',
  },
];

export const CLOUDFRONT_CONTROLS: ControlDoc[] = [
  {
    keys: ['ViewerProtocolPolicy', 'viewer_protocol_policy'],
    resourceTypes: CLOUDFRONT_TYPES,
    markdown:
      '**ViewerProtocolPolicy.** How a cache behaviour treats viewers: `allow-all` serves HTTP and HTTPS, `redirect-to-https` answers HTTP with a 301 to HTTPS, `https-only` refuses HTTP. Secure: `redirect-to-https` (or `https-only` for APIs). Every behaviour has its own policy; check the ordered ones too. AWS recommends encrypting all traffic in transit.',
  },
  {
    keys: [
      'ViewerCertificate',
      'viewer_certificate',
      'CloudFrontDefaultCertificate',
      'cloudfront_default_certificate',
    ],
    resourceTypes: CLOUDFRONT_TYPES,
    markdown:
      '**Viewer certificate.** The default `*.cloudfront.net` certificate (used when absent) always accepts TLSv1; only a custom certificate (`AcmCertificateArn` in us-east-1, with `SslSupportMethod: sni-only`) lets you raise `MinimumProtocolVersion` to `TLSv1.2_2021` or newer.',
  },
  ...TLS_POLICY_CONTROLS.filter((c) => c.keys.includes('MinimumProtocolVersion')),
  {
    keys: ['OriginProtocolPolicy', 'origin_protocol_policy'],
    resourceTypes: CLOUDFRONT_TYPES,
    markdown:
      '**OriginProtocolPolicy.** How CloudFront connects to a custom origin: `http-only`, `match-viewer` (HTTP when the viewer used HTTP), or `https-only`. Secure: `https-only`, so the hop from the edge to your origin is encrypted too.',
  },
  {
    keys: ['OriginSSLProtocols', 'origin_ssl_protocols'],
    resourceTypes: CLOUDFRONT_TYPES,
    markdown:
      '**OriginSSLProtocols.** The TLS versions CloudFront may use to the origin. Secure: `[TLSv1.2]`; `SSLv3`, `TLSv1` and `TLSv1.1` are broken or deprecated.',
  },
];

export const CACHE_CONTROLS: ControlDoc[] = [
  {
    keys: ['TransitEncryptionEnabled', 'transit_encryption_enabled'],
    resourceTypes: [
      'AWS::ElastiCache::ReplicationGroup',
      'AWS::ElastiCache::CacheCluster',
      'aws_elasticache_replication_group',
      'aws_elasticache_cluster',
    ],
    markdown:
      '**TransitEncryptionEnabled.** TLS between clients and the cache and between nodes. Default: `false` (plaintext). Secure: `true` with `TransitEncryptionMode: required`. On older engine versions enabling it replaces the cluster, and clients must connect with TLS. [ElastiCache in-transit encryption](https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html)',
  },
  {
    keys: ['TransitEncryptionMode', 'transit_encryption_mode'],
    resourceTypes: ['AWS::ElastiCache::ReplicationGroup', 'aws_elasticache_replication_group'],
    markdown:
      '**TransitEncryptionMode.** `preferred` accepts both TLS and plaintext connections (a migration step); `required` accepts only TLS. Secure: `required`.',
  },
  {
    keys: ['TLSEnabled', 'tls_enabled'],
    resourceTypes: ['AWS::MemoryDB::Cluster', 'aws_memorydb_cluster'],
    markdown: '**TLSEnabled.** MemoryDB encryption in transit. Default: `true`. Secure: `true`.',
  },
  {
    keys: ['ClusterEndpointEncryptionType', 'cluster_endpoint_encryption_type'],
    resourceTypes: ['AWS::DAX::Cluster', 'aws_dax_cluster'],
    markdown:
      '**ClusterEndpointEncryptionType.** `NONE` (default) or `TLS` for the DAX cluster endpoint. Secure: `TLS`; it can only be set when the cluster is created.',
  },
];

export const SEARCH_CONTROLS: ControlDoc[] = [
  {
    keys: [
      'DomainEndpointOptions',
      'endpoint_options',
      'EnforceHTTPS',
      'enforce_https',
      'TLSSecurityPolicy',
      'tls_security_policy',
    ],
    resourceTypes: CLOUDSEARCH_TYPES,
    markdown:
      '**CloudSearch endpoint options.** `EnforceHTTPS: true` makes the domain refuse plain HTTP; `TLSSecurityPolicy` sets the TLS floor: `Policy-Min-TLS-1-0-2019-07` (the default) or `Policy-Min-TLS-1-2-2019-07`. Secure: `EnforceHTTPS: true` with `Policy-Min-TLS-1-2-2019-07`. [Domain endpoint options](https://docs.aws.amazon.com/cloudsearch/latest/developerguide/API_DomainEndpointOptions.html)',
  },
  {
    keys: ['DomainEndpointOptions', 'domain_endpoint_options', 'EnforceHTTPS', 'enforce_https'],
    resourceTypes: SEARCH_TYPES,
    markdown:
      '**DomainEndpointOptions.** `EnforceHTTPS: true` makes the domain refuse plain HTTP; `TLSSecurityPolicy` sets the TLS floor. API default: HTTPS not enforced, `Policy-Min-TLS-1-0-2019-07` (Terraform enforces HTTPS when the block is written without `enforce_https`). Secure: `EnforceHTTPS: true` with `Policy-Min-TLS-1-2-PFS-2023-10`.',
  },
  ...TLS_POLICY_CONTROLS.filter((c) => c.keys.includes('TLSSecurityPolicy')),
  {
    keys: ['NodeToNodeEncryptionOptions', 'node_to_node_encryption'],
    resourceTypes: SEARCH_TYPES,
    markdown:
      '**Node-to-node encryption.** TLS between the nodes of the domain. Default: off. Secure: `Enabled: true` (required for fine-grained access control). Enabling it on old Elasticsearch versions needs a blue/green replacement.',
  },
];

export const MSK_CONTROLS: ControlDoc[] = [
  {
    keys: [
      'EncryptionInfo',
      'EncryptionInTransit',
      'ClientBroker',
      'InCluster',
      'encryption_info',
      'encryption_in_transit',
      'client_broker',
      'in_cluster',
    ],
    resourceTypes: ['AWS::MSK::Cluster', 'aws_msk_cluster'],
    markdown:
      '**MSK encryption in transit.** `ClientBroker`: `TLS` (default), `TLS_PLAINTEXT` (both) or `PLAINTEXT`; `InCluster`: `true` (default) encrypts broker-to-broker traffic. Secure: the defaults, `TLS` and `true`. Changing them later replaces brokers and clients must use the TLS port (9094/9096/9098).',
  },
];

export const DATABASE_CONTROLS: ControlDoc[] = [
  {
    keys: [
      'Parameters',
      'parameter',
      'DBParameterGroupName',
      'DBClusterParameterGroupName',
      'parameter_group_name',
      'db_cluster_parameter_group_name',
    ],
    resourceTypes: [
      'AWS::RDS::DBParameterGroup',
      'AWS::RDS::DBClusterParameterGroup',
      'AWS::RDS::DBInstance',
      'AWS::RDS::DBCluster',
      'aws_db_parameter_group',
      'aws_rds_cluster_parameter_group',
      'aws_db_instance',
      'aws_rds_cluster',
    ],
    markdown:
      '**Forcing TLS on RDS and Aurora.** Connections may be plaintext unless the parameter group forces TLS: MySQL, MariaDB and Aurora MySQL `require_secure_transport = ON` (default OFF); PostgreSQL and SQL Server `rds.force_ssl = 1` (default 0, except RDS for PostgreSQL 15 and later where it is 1). A database without its own parameter group uses the default group, which cannot be changed. [Using SSL/TLS](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html)',
  },
  {
    keys: ['SslMode', 'ssl_mode'],
    resourceTypes: ['AWS::DMS::Endpoint', 'aws_dms_endpoint'],
    markdown:
      '**DMS SslMode.** `none` (default), `require`, `verify-ca`, `verify-full`. Secure: `verify-full` (or at least `require`) so migrated data is encrypted on the wire.',
  },
];

export const S3_TRANSPORT_CONTROLS: ControlDoc[] = [
  {
    keys: ['PolicyDocument', 'policy'],
    resourceTypes: [
      'AWS::S3::BucketPolicy',
      'AWS::SQS::QueuePolicy',
      'AWS::SNS::TopicPolicy',
      'aws_s3_bucket_policy',
      'aws_sqs_queue_policy',
      'aws_sns_topic_policy',
    ],
    markdown:
      '**Requiring HTTPS in a resource policy.** S3, SQS and SNS accept plain HTTP requests unless the resource policy denies them: a `Deny` for `Principal: "*"`, all actions, on the resource (for S3 both the bucket ARN and `bucket/*`), with `Condition: {Bool: {aws:SecureTransport: "false"}}`. An `Allow` that requires `aws:SecureTransport: true` does not block HTTP: other policies can still allow it. [Security Hub S3.5](https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-5)',
  },
];

export const EFS_CONTROLS: ControlDoc[] = [
  {
    keys: ['EFSVolumeConfiguration', 'TransitEncryption', 'efs_volume_configuration', 'transit_encryption'],
    resourceTypes: ['AWS::ECS::TaskDefinition', 'aws_ecs_task_definition'],
    markdown:
      '**EFS transit encryption for ECS volumes.** `TransitEncryption: ENABLED` mounts the file system over TLS (the EFS mount helper). Default: `DISABLED`. Secure: `ENABLED`; it is required when `AuthorizationConfig.IAM` is `ENABLED`.',
  },
];

export const FTP_CONTROLS: ControlDoc[] = [
  {
    keys: ['Protocols', 'protocols'],
    resourceTypes: ['AWS::Transfer::Server', 'aws_transfer_server'],
    markdown:
      '**Transfer Family protocols.** `SFTP` (default), `FTPS`, `FTP`, `AS2`. `FTP` sends credentials and files in cleartext and is only allowed inside a VPC. Secure: `SFTP` or `FTPS`.',
  },
];
