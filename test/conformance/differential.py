"""
The differential conformance suite's driver (issue 9 item 6): one python process runs a scripted list of
boto3 calls against one endpoint (the sim or moto_server) and prints one JSON report on stdout.

    python3 differential.py sim|moto ENDPOINT

For every call it records what botocore (the library under boto3 and the AWS CLI) made of the reply: success
or the error code and HTTP status, and the shape of the parsed reply (member names and value types). For the
sim it also checks the raw reply against botocore's copy of the AWS API model, which botocore itself does not
do: every member must be one the model names, with the model's type; a Query reply must carry its
<OpResult> element exactly when the operation has output; an error must be in the protocol's format, with a
code the model (or AWS's common errors) lists for that operation. CloudWatch calls go through all three of
its protocols against the sim (JSON, RPCv2 CBOR, Query), and their parsed replies must agree.

The TypeScript side (differential.test.ts) compares the two reports. Written for the suite; nothing here is
a copy of another project's code.
"""
import datetime
import json
import sys
import time
import xml.etree.ElementTree as ET

import botocore.model
import botocore.session
from botocore.config import Config

TARGET, ENDPOINT = sys.argv[1], sys.argv[2]
REGION = 'us-east-1'
SESSION = botocore.session.get_session()
ORDER = botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS
PROTOCOL_ORDERS = {
    'json': ('json', 'query', 'smithy-rpc-v2-cbor'),
    'cbor': ('smithy-rpc-v2-cbor', 'json', 'query'),
    'query': ('query', 'json', 'smithy-rpc-v2-cbor'),
}
COMMON_ERRORS = {
    'ValidationError', 'Throttling', 'ThrottlingException', 'InternalFailure', 'AccessDenied',
    'AccessDeniedException', 'InvalidParameterValue', 'MissingParameter', 'InvalidAction',
    'InvalidParameterCombination', 'ServiceUnavailable',
}

raw = {}


def client(service, protocol=None):
    if protocol:
        botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = PROTOCOL_ORDERS[protocol]
    try:
        c = SESSION.create_client(
            service, endpoint_url=ENDPOINT, region_name=REGION, aws_access_key_id='test',
            aws_secret_access_key='test', config=Config(retries={'max_attempts': 1}))
    finally:
        botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = ORDER

    def keep(response_dict, **_):
        raw['last'] = response_dict
    c.meta.events.register('before-parse', keep)
    return c


CLIENTS = {s: client(s) for s in ['ecs', 'autoscaling', 'cloudformation', 'sns', 'lambda', 'elbv2', 'ec2', 'sqs']}
CLOUDWATCH = {p: client('cloudwatch', p) for p in PROTOCOL_ORDERS} if TARGET == 'sim' else {'default': client('cloudwatch')}


# ---------------------------------------------------------------------------------------------------------
# Checking a raw reply against the model.

def members_by_wire_name(shape):
    return {m.serialization.get('name', n): (n, m) for n, m in shape.members.items()}


def check_scalar_text(text, shape, path, problems):
    t = shape.type_name
    text = text or ''
    try:
        if t in ('integer', 'long'):
            int(text)
        elif t in ('float', 'double'):
            float(text)
        elif t == 'boolean' and text not in ('true', 'false'):
            problems.append(f'{path}: "{text}" is not a boolean')
        elif t == 'timestamp':
            datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))
    except ValueError:
        problems.append(f'{path}: "{text}" is not a {t}')
    if t == 'string' and shape.enum and text not in shape.enum:
        problems.append(f'{path}: "{text}" is not one of {shape.enum}')


def local(tag):
    return tag.split('}', 1)[-1]


def check_xml(elem, shape, path, problems):
    t = shape.type_name
    if t == 'structure':
        members = members_by_wire_name(shape)
        for child in elem:
            name = local(child.tag)
            if name not in members:
                problems.append(f'{path}.{name}: not a member of {shape.name}')
                continue
            member = members[name][1]
            if member.type_name == 'list' and member.serialization.get('flattened'):
                check_xml_item(child, member.member, f'{path}.{name}', problems)
            else:
                check_xml(child, member, f'{path}.{name}', problems)
    elif t == 'list':
        item = shape.member.serialization.get('name', 'member')
        for n, child in enumerate(elem):
            if local(child.tag) != item:
                problems.append(f'{path}[{n}]: <{local(child.tag)}> in a list of <{item}>')
            check_xml_item(child, shape.member, f'{path}[{n}]', problems)
    elif t == 'map':
        for entry in elem:
            names = {local(c.tag): c for c in entry}
            if local(entry.tag) != 'entry' or set(names) - {'key', 'value'}:
                problems.append(f'{path}: a map entry must be <entry><key/><value/></entry>')
            elif 'value' in names:
                check_xml(names['value'], shape.value, f'{path}[{names["key"].text}]', problems)
    else:
        check_scalar_text(elem.text, shape, path, problems)


def check_xml_item(elem, shape, path, problems):
    check_xml(elem, shape, path, problems)


def check_query_reply(op_model, body, status, problems):
    root = ET.fromstring(body)
    name = local(root.tag)
    if status >= 300:
        if name != 'ErrorResponse':
            problems.append(f'error reply root is <{name}>, not <ErrorResponse>')
            return None
        error = {local(c.tag): c for c in root.find('{*}Error') or []}
        if set(error) != {'Type', 'Code', 'Message'}:
            problems.append(f'<Error> holds {sorted(error)}, not Type, Code, Message')
        if error.get('Type') is not None and error['Type'].text not in ('Sender', 'Receiver'):
            problems.append(f'<Type> is {error["Type"].text}')
        if root.find('{*}RequestId') is None:
            problems.append('<ErrorResponse> has no <RequestId>')
        return error['Code'].text if 'Code' in error else None
    if name != f'{op_model.name}Response':
        problems.append(f'reply root is <{name}>')
    children = {local(c.tag): c for c in root}
    wrapper = op_model.output_shape.serialization.get('resultWrapper') if op_model.output_shape else None
    if wrapper and wrapper not in children:
        problems.append(f'no <{wrapper}> element: botocore fails with KeyError')
    if not wrapper and set(children) - {'ResponseMetadata'}:
        problems.append(f'an operation without output has {sorted(set(children) - {"ResponseMetadata"})}')
    if 'ResponseMetadata' not in children or children['ResponseMetadata'].find('{*}RequestId') is None:
        problems.append('no <ResponseMetadata><RequestId>')
    if wrapper and wrapper in children:
        check_xml(children[wrapper], op_model.output_shape, wrapper, problems)
    return None


def check_json_value(value, shape, path, problems):
    t = shape.type_name
    if t == 'structure':
        if not isinstance(value, dict):
            problems.append(f'{path}: not an object')
            return
        members = members_by_wire_name(shape)
        for k, v in value.items():
            if k not in members:
                problems.append(f'{path}.{k}: not a member of {shape.name}')
            else:
                check_json_value(v, members[k][1], f'{path}.{k}', problems)
    elif t == 'list':
        if not isinstance(value, list):
            problems.append(f'{path}: not a list')
            return
        for n, item in enumerate(value):
            check_json_value(item, shape.member, f'{path}[{n}]', problems)
    elif t == 'map':
        if not isinstance(value, dict):
            problems.append(f'{path}: not a map')
            return
        for k, v in value.items():
            check_json_value(v, shape.value, f'{path}[{k}]', problems)
    else:
        ok = {
            'string': lambda v: isinstance(v, str), 'blob': lambda v: isinstance(v, str),
            'boolean': lambda v: isinstance(v, bool),
            'integer': lambda v: isinstance(v, int) and not isinstance(v, bool),
            'long': lambda v: isinstance(v, int) and not isinstance(v, bool),
            'float': lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
            'double': lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
            'timestamp': lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        }[t](value)
        if not ok:
            problems.append(f'{path}: {value!r} is not a {t}')
        elif t == 'string' and shape.enum and value not in shape.enum:
            problems.append(f'{path}: "{value}" is not one of {shape.enum}')


def body_members(shape):
    """The output members that travel in a JSON body (REST protocols put some in headers or the status)."""
    return {n: m for n, m in shape.members.items() if m.serialization.get('location') is None
            and not shape.serialization.get('payload')}


def check_json_reply(op_model, body, status, headers, problems):
    if status >= 300:
        doc = json.loads(body) if body else {}
        code = doc.get('__type') or headers.get('x-amzn-errortype')
        if not code:
            problems.append('error reply has neither __type nor x-amzn-ErrorType')
            return None
        if 'message' not in doc and 'Message' not in doc:
            problems.append('error reply has no message')
        return code.split('#')[-1].split(':')[0]
    shape = op_model.output_shape
    if shape is None:
        return None
    if shape.serialization.get('payload'):
        return None
    doc = json.loads(body) if body else {}
    members = body_members(shape)
    for k, v in doc.items():
        wire = {m.serialization.get('name', n): m for n, m in members.items()}
        if k not in wire:
            problems.append(f'{k}: not a member of {shape.name}')
        else:
            check_json_value(v, wire[k], k, problems)
    return None


def check_raw(service, op_model, problems):
    response = raw.get('last')
    if response is None:
        problems.append('no reply seen')
        return None
    body = response['body']
    if not isinstance(body, (bytes, bytearray)):
        return None  # A streaming payload (Invoke): raw bytes, no members to check.
    status = response['status_code']
    headers = {k.lower(): v for k, v in response['headers'].items()}
    protocol = op_model.metadata.get('protocol')
    if 'rpc-v2-cbor' in headers.get('smithy-protocol', ''):
        return None  # Compared with the JSON reply of the same call instead (see run()).
    if headers.get('content-type', '').startswith('text/xml') or (body[:5] == b'<?xml'):
        code = check_query_reply(op_model, body, status, problems)
    else:
        code = check_json_reply(op_model, body, status, headers, problems)
    if status >= 300 and code:
        # Query writes the awsQueryError code; the JSON protocols write the shape name.
        modeled = {e.metadata.get('error', {}).get('code', e.name) for e in op_model.error_shapes}
        if protocol != 'query':
            modeled |= {e.name for e in op_model.error_shapes}
        if code not in modeled and code not in COMMON_ERRORS:
            problems.append(f'error code {code} is not one the model lists for {op_model.name} ({protocol})')
    return None


# ---------------------------------------------------------------------------------------------------------
# Calls.

def shape_of(value):
    if isinstance(value, dict):
        return {k: shape_of(v) for k, v in sorted(value.items()) if k != 'ResponseMetadata'}
    if isinstance(value, list):
        merged = {}
        for item in value:
            s = shape_of(item)
            if isinstance(s, dict) and isinstance(merged, dict):
                merged.update(s)
            else:
                merged = s
        return [merged] if value else []
    if isinstance(value, bool):
        return 'boolean'
    if isinstance(value, (int, float)):
        return 'number'
    if isinstance(value, datetime.datetime):
        return 'timestamp'
    if isinstance(value, (bytes, bytearray)):
        return 'blob'
    if hasattr(value, 'read'):
        return 'stream'
    return 'string'


report = {'target': TARGET, 'calls': [], 'skipped': []}


def call(key, service, op, params, protocol=None):
    """Runs one call; returns the parsed reply (or None) and records it under `key`."""
    c = (CLOUDWATCH[protocol] if protocol else CLOUDWATCH['default']) if service == 'cloudwatch' else CLIENTS[service]
    method = botocore.xform_name(op)
    op_model = c.meta.service_model.operation_model(op)
    entry = {'key': key, 'service': service, 'operation': op, 'protocol': protocol or op_model.metadata['protocol']}
    raw.pop('last', None)
    result = None
    try:
        result = getattr(c, method)(**params)
        entry.update(ok=True, status=result['ResponseMetadata']['HTTPStatusCode'], shape=shape_of(result))
        if 'Payload' in result and hasattr(result['Payload'], 'read'):
            result['Payload'] = result['Payload'].read()
    except c.exceptions.ClientError as error:
        entry.update(ok=False, status=error.response['ResponseMetadata'].get('HTTPStatusCode'),
                     code=error.response['Error'].get('Code'))
    except Exception as error:  # a reply botocore could not read: the failure the suite is here to catch
        entry.update(ok=False, status=None, code=None, crash=f'{type(error).__name__}: {error}')
    if TARGET == 'sim':
        problems = []
        check_raw(service, op_model, problems)
        entry['modelProblems'] = problems
    report['calls'].append(entry)
    return result


def cloudwatch_call(key, op, params):
    """Against the sim, the same call over JSON, CBOR and Query: the parsed replies must agree."""
    if TARGET != 'sim':
        return call(key, 'cloudwatch', op, params)
    results = {p: call(f'{key} ({p})', 'cloudwatch', op, params, p) for p in PROTOCOL_ORDERS}
    def plain(value):
        # Numbers as floats: a JSON reply may write the double 3.0 as 3, which botocore leaves an int.
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if k != 'ResponseMetadata'}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        return str(value) if isinstance(value, datetime.datetime) else value
    for p in ('cbor', 'query'):
        entry = next(e for e in report['calls'] if e['key'] == f'{key} ({p})')
        if plain(results[p]) != plain(results['json']):
            entry.setdefault('modelProblems', []).append(
                f'{p} reply differs from the JSON one: {plain(results[p])} vs {plain(results["json"])}')
    return results['json']


def wait_for(fn, what, timeout=60):
    deadline = time.time() + timeout
    while True:
        value = fn()
        if value:
            return value
        if time.time() > deadline:
            raise SystemExit(f'{TARGET}: timed out waiting for {what}')
        time.sleep(0.2)


# ---------------------------------------------------------------------------------------------------------
# The world both sides start from: todobackend's cluster, group, hook and service.

def setup():
    ecs, asg = CLIENTS['ecs'], CLIENTS['autoscaling']
    if TARGET == 'moto':
        ec2 = CLIENTS['ec2']
        ec2.create_launch_template(LaunchTemplateName='todobackend-lt',
                                   LaunchTemplateData={'ImageId': 'ami-12c6146b', 'InstanceType': 't2.micro'})
        asg.create_auto_scaling_group(AutoScalingGroupName='todobackend-asg', MinSize=1, MaxSize=2,
                                      DesiredCapacity=1, AvailabilityZones=['us-east-1a', 'us-east-1b'],
                                      LaunchTemplate={'LaunchTemplateName': 'todobackend-lt', 'Version': '1'})
        asg.put_lifecycle_hook(AutoScalingGroupName='todobackend-asg', LifecycleHookName='todobackend-drain-hook',
                               LifecycleTransition='autoscaling:EC2_INSTANCE_TERMINATING', HeartbeatTimeout=900,
                               DefaultResult='CONTINUE')
        ecs.create_cluster(clusterName='todobackend-cluster')
        instance = asg.describe_auto_scaling_groups()['AutoScalingGroups'][0]['Instances'][0]['InstanceId']
        identity = {'instanceId': instance, 'region': REGION, 'instanceType': 't2.micro', 'accountId': '123456789012'}
        ecs.register_container_instance(cluster='todobackend-cluster', instanceIdentityDocument=json.dumps(identity))
        ecs.register_task_definition(family='todobackend', containerDefinitions=[
            {'name': 'todobackend', 'image': 'example/todobackend', 'cpu': 10, 'memory': 240}])
        ecs.create_service(cluster='todobackend-cluster', serviceName='todobackend', taskDefinition='todobackend',
                           desiredCount=1)
    group = asg.describe_auto_scaling_groups()['AutoScalingGroups'][0]
    vpc = CLIENTS['ec2'].create_vpc(CidrBlock='10.0.0.0/16')['Vpc']['VpcId'] if TARGET == 'moto' else 'vpc-12345678'
    return {
        'vpc': vpc,
        'cluster': 'todobackend-cluster',
        'group': group['AutoScalingGroupName'],
        'groupArn': group['AutoScalingGroupARN'],
        'instance': group['Instances'][0]['InstanceId'],
        'hook': 'todobackend-drain-hook',
    }


TEMPLATE = json.dumps({'Resources': {
    'Topic': {'Type': 'AWS::SNS::Topic', 'Properties': {'TopicName': 'diff-topic'}},
    # A dead-letter queue and its alarm, as the hook stack has them (doctor reads both).
    'Queue': {'Type': 'AWS::SQS::Queue', 'Properties': {'QueueName': 'diff-queue'}},
    'Alarm': {'Type': 'AWS::CloudWatch::Alarm', 'Properties': {
        'AlarmName': 'diff-alarm', 'Namespace': 'AWS/SQS', 'MetricName': 'ApproximateNumberOfMessagesVisible',
        'Dimensions': [{'Name': 'QueueName', 'Value': 'diff-queue'}], 'Statistic': 'Maximum', 'Period': 60,
        'EvaluationPeriods': 1, 'Threshold': 0, 'ComparisonOperator': 'GreaterThanThreshold',
        'TreatMissingData': 'notBreaching'}},
}})
LAMBDA_TEMPLATE = json.dumps({'Resources': {
    'Role': {'Type': 'AWS::IAM::Role', 'Properties': {'AssumeRolePolicyDocument': {'Version': '2012-10-17', 'Statement': [
        {'Effect': 'Allow', 'Principal': {'Service': 'lambda.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]}}},
    'Fn': {'Type': 'AWS::Lambda::Function', 'Properties': {
        # Timeout is in sim seconds, and the sim runs 30x: 3 s (the default) would be 0.1 s for a worker to start.
        'FunctionName': 'diff-fn', 'Runtime': 'nodejs22.x', 'Handler': 'index.handler', 'Timeout': 300,
        'Role': {'Fn::GetAtt': ['Role', 'Arn']},
        'Code': {'ZipFile': 'exports.handler = async (e) => ({echo: e})'}}},
    'Perm': {'Type': 'AWS::Lambda::Permission', 'Properties': {
        'FunctionName': {'Ref': 'Fn'}, 'Action': 'lambda:InvokeFunction', 'Principal': 'sns.amazonaws.com'}},
}})


def has(service, op):
    """Whether the target implements an operation: the sim tells, moto is asked by its own reply."""
    return op in SIM_OPS.get(service, ()) if TARGET == 'sim' else True


SIM_OPS = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}


def maybe(key, service, op, params):
    if not has(service, op):
        report['skipped'].append({'key': key, 'service': service, 'operation': op})
        return None
    return call(key, service, op, params)


def run():
    ctx = setup()
    cluster, group = ctx['cluster'], ctx['group']

    # ECS
    call('ecs ListClusters', 'ecs', 'ListClusters', {})
    call('ecs DescribeClusters', 'ecs', 'DescribeClusters', {'clusters': [cluster]})
    call('ecs DescribeClusters (unknown: failures)', 'ecs', 'DescribeClusters', {'clusters': ['nope']})
    arns = call('ecs ListContainerInstances', 'ecs', 'ListContainerInstances', {'cluster': cluster})['containerInstanceArns']
    call('ecs ListContainerInstances (unknown cluster)', 'ecs', 'ListContainerInstances', {'cluster': 'nope'})
    call('ecs DescribeContainerInstances', 'ecs', 'DescribeContainerInstances', {'cluster': cluster, 'containerInstances': arns})
    call('ecs UpdateContainerInstancesState', 'ecs', 'UpdateContainerInstancesState',
         {'cluster': cluster, 'containerInstances': arns, 'status': 'ACTIVE'})
    call('ecs UpdateContainerInstancesState (bad status)', 'ecs', 'UpdateContainerInstancesState',
         {'cluster': cluster, 'containerInstances': arns, 'status': 'DEREGISTERING'})
    call('ecs DescribeCapacityProviders', 'ecs', 'DescribeCapacityProviders', {})
    call('ecs RegisterTaskDefinition', 'ecs', 'RegisterTaskDefinition', {
        'family': 'diff', 'containerDefinitions': [{'name': 'diff', 'image': 'example/diff', 'cpu': 10, 'memory': 64}]})
    call('ecs DescribeTaskDefinition', 'ecs', 'DescribeTaskDefinition', {'taskDefinition': 'diff'})
    maybe('ecs ListTaskDefinitions', 'ecs', 'ListTaskDefinitions', {'familyPrefix': 'diff'})
    call('ecs CreateService', 'ecs', 'CreateService',
         {'cluster': cluster, 'serviceName': 'diff-svc', 'taskDefinition': 'diff', 'desiredCount': 0})
    call('ecs UpdateService', 'ecs', 'UpdateService', {'cluster': cluster, 'service': 'diff-svc', 'desiredCount': 0})
    call('ecs ListServices', 'ecs', 'ListServices', {'cluster': cluster})
    call('ecs DescribeServices', 'ecs', 'DescribeServices', {'cluster': cluster, 'services': ['todobackend', 'nope']})
    call('ecs DescribeServices (unknown cluster)', 'ecs', 'DescribeServices', {'cluster': 'nope', 'services': ['x']})
    run_task = call('ecs RunTask', 'ecs', 'RunTask', {'cluster': cluster, 'taskDefinition': 'diff', 'count': 1})
    call('ecs ListTasks', 'ecs', 'ListTasks', {'cluster': cluster})
    task = run_task['tasks'][0]['taskArn'] if run_task and run_task.get('tasks') else 'none'
    call('ecs DescribeTasks', 'ecs', 'DescribeTasks', {'cluster': cluster, 'tasks': [task, f'{task}-missing']})
    maybe('ecs UpdateTaskProtection', 'ecs', 'UpdateTaskProtection',
          {'cluster': cluster, 'tasks': [task], 'protectionEnabled': True, 'expiresInMinutes': 60})
    maybe('ecs GetTaskProtection', 'ecs', 'GetTaskProtection', {'cluster': cluster, 'tasks': [task]})
    call('ecs StopTask', 'ecs', 'StopTask', {'cluster': cluster, 'task': task, 'reason': 'differential suite'})
    call('ecs StopTask (unknown task)', 'ecs', 'StopTask', {'cluster': cluster, 'task': 'nope'})
    maybe('ecs PutAttributes', 'ecs', 'PutAttributes',
          {'cluster': cluster, 'attributes': [{'name': 'diff', 'value': '1', 'targetId': arns[0]}]})
    maybe('ecs ListAttributes', 'ecs', 'ListAttributes', {'cluster': cluster, 'targetType': 'container-instance'})
    maybe('ecs DeleteAttributes', 'ecs', 'DeleteAttributes',
          {'cluster': cluster, 'attributes': [{'name': 'diff', 'targetId': arns[0]}]})
    maybe('ecs CreateCapacityProvider', 'ecs', 'CreateCapacityProvider', {'name': 'diff-cp', 'autoScalingGroupProvider': {
        'autoScalingGroupArn': ctx['groupArn'], 'managedTerminationProtection': 'DISABLED'}})
    maybe('ecs UpdateCapacityProvider', 'ecs', 'UpdateCapacityProvider',
          {'name': 'diff-cp', 'autoScalingGroupProvider': {'managedDraining': 'ENABLED'}})
    maybe('ecs PutClusterCapacityProviders', 'ecs', 'PutClusterCapacityProviders',
          {'cluster': cluster, 'capacityProviders': ['diff-cp'], 'defaultCapacityProviderStrategy': []})
    maybe('ecs DeregisterTaskDefinition', 'ecs', 'DeregisterTaskDefinition', {'taskDefinition': 'diff:1'})

    # Auto Scaling
    call('autoscaling DescribeAutoScalingGroups', 'autoscaling', 'DescribeAutoScalingGroups', {'AutoScalingGroupNames': [group]})
    call('autoscaling DescribeAutoScalingGroups (without instances)', 'autoscaling', 'DescribeAutoScalingGroups',
         {'AutoScalingGroupNames': [group], 'IncludeInstances': False})
    call('autoscaling DescribeAutoScalingInstances', 'autoscaling', 'DescribeAutoScalingInstances', {'InstanceIds': [ctx['instance']]})
    call('autoscaling UpdateAutoScalingGroup', 'autoscaling', 'UpdateAutoScalingGroup', {'AutoScalingGroupName': group, 'MaxSize': 3})
    call('autoscaling UpdateAutoScalingGroup (min above max)', 'autoscaling', 'UpdateAutoScalingGroup',
         {'AutoScalingGroupName': group, 'MinSize': 5, 'MaxSize': 4})
    call('autoscaling SetDesiredCapacity', 'autoscaling', 'SetDesiredCapacity', {'AutoScalingGroupName': group, 'DesiredCapacity': 2})
    call('autoscaling SetDesiredCapacity (above max)', 'autoscaling', 'SetDesiredCapacity',
         {'AutoScalingGroupName': group, 'DesiredCapacity': 9})
    call('autoscaling SetInstanceProtection', 'autoscaling', 'SetInstanceProtection',
         {'AutoScalingGroupName': group, 'InstanceIds': [ctx['instance']], 'ProtectedFromScaleIn': False})
    call('autoscaling DescribeScalingActivities', 'autoscaling', 'DescribeScalingActivities', {'AutoScalingGroupName': group})
    call('autoscaling PutLifecycleHook', 'autoscaling', 'PutLifecycleHook', {
        'AutoScalingGroupName': group, 'LifecycleHookName': 'diff-hook', 'HeartbeatTimeout': 300,
        'LifecycleTransition': 'autoscaling:EC2_INSTANCE_TERMINATING', 'DefaultResult': 'CONTINUE'})
    call('autoscaling DescribeLifecycleHooks', 'autoscaling', 'DescribeLifecycleHooks', {'AutoScalingGroupName': group})
    call('autoscaling DeleteLifecycleHook', 'autoscaling', 'DeleteLifecycleHook',
         {'AutoScalingGroupName': group, 'LifecycleHookName': 'diff-hook'})
    call('autoscaling DeleteLifecycleHook (unknown)', 'autoscaling', 'DeleteLifecycleHook',
         {'AutoScalingGroupName': group, 'LifecycleHookName': 'diff-hook'})
    maybe('autoscaling StartInstanceRefresh', 'autoscaling', 'StartInstanceRefresh', {
        'AutoScalingGroupName': group, 'Preferences': {'MinHealthyPercentage': 100, 'MaxHealthyPercentage': 200,
                                                         'CheckpointPercentages': [50, 100], 'CheckpointDelay': 600}})
    maybe('autoscaling DescribeInstanceRefreshes', 'autoscaling', 'DescribeInstanceRefreshes', {'AutoScalingGroupName': group})
    maybe('autoscaling RollbackInstanceRefresh (no desired configuration)', 'autoscaling', 'RollbackInstanceRefresh',
          {'AutoScalingGroupName': group})
    maybe('autoscaling CancelInstanceRefresh', 'autoscaling', 'CancelInstanceRefresh',
          {'AutoScalingGroupName': group, 'WaitForTransitioningInstances': False})
    maybe('autoscaling CancelInstanceRefresh (none active)', 'autoscaling', 'CancelInstanceRefresh', {'AutoScalingGroupName': group})
    template = call('autoscaling DescribeAutoScalingGroups', 'autoscaling', 'DescribeAutoScalingGroups',
                    {'AutoScalingGroupNames': [group]})['AutoScalingGroups'][0]['LaunchTemplate']
    maybe('autoscaling StartInstanceRefresh (desired configuration)', 'autoscaling', 'StartInstanceRefresh', {
        'AutoScalingGroupName': group, 'DesiredConfiguration': {'LaunchTemplate': {
            'LaunchTemplateName': template['LaunchTemplateName'], 'Version': '2'}},
        'Preferences': {'MinHealthyPercentage': 100, 'MaxHealthyPercentage': 200}})
    maybe('autoscaling RollbackInstanceRefresh', 'autoscaling', 'RollbackInstanceRefresh', {'AutoScalingGroupName': group})
    maybe('ecs DeregisterContainerInstance', 'ecs', 'DeregisterContainerInstance',
          {'cluster': cluster, 'containerInstance': arns[0], 'force': True})
    call('autoscaling TerminateInstanceInAutoScalingGroup', 'autoscaling', 'TerminateInstanceInAutoScalingGroup',
         {'InstanceId': ctx['instance'], 'ShouldDecrementDesiredCapacity': False})
    call('autoscaling TerminateInstanceInAutoScalingGroup (unknown)', 'autoscaling', 'TerminateInstanceInAutoScalingGroup',
         {'InstanceId': 'i-0123456789abcdef0', 'ShouldDecrementDesiredCapacity': False})
    lifecycle = {'AutoScalingGroupName': group, 'LifecycleHookName': ctx['hook'], 'InstanceId': ctx['instance']}
    maybe('autoscaling RecordLifecycleActionHeartbeat', 'autoscaling', 'RecordLifecycleActionHeartbeat', lifecycle)
    maybe('autoscaling CompleteLifecycleAction', 'autoscaling', 'CompleteLifecycleAction',
          {**lifecycle, 'LifecycleActionResult': 'CONTINUE'})
    maybe('autoscaling CompleteLifecycleAction (already completed)', 'autoscaling', 'CompleteLifecycleAction',
          {**lifecycle, 'LifecycleActionResult': 'CONTINUE'})

    # CloudWatch
    now = datetime.datetime.now(datetime.timezone.utc)
    window = {'StartTime': now - datetime.timedelta(minutes=30), 'EndTime': now + datetime.timedelta(minutes=1)}
    cloudwatch_call('cloudwatch PutMetricData', 'PutMetricData', {
        'Namespace': 'Diff', 'MetricData': [{'MetricName': 'm', 'Value': 1.5, 'Timestamp': now, 'Unit': 'Count'}]})
    cloudwatch_call('cloudwatch ListMetrics', 'ListMetrics', {'Namespace': 'Diff'})
    cloudwatch_call('cloudwatch GetMetricStatistics', 'GetMetricStatistics', {
        'Namespace': 'Diff', 'MetricName': 'm', 'Period': 60, 'Statistics': ['Minimum', 'SampleCount'], **window})
    cloudwatch_call('cloudwatch GetMetricStatistics (bad period)', 'GetMetricStatistics', {
        'Namespace': 'Diff', 'MetricName': 'm', 'Period': 7, 'Statistics': ['Minimum'], **window})
    cloudwatch_call('cloudwatch GetMetricData', 'GetMetricData', {**window, 'MetricDataQueries': [{
        'Id': 'm1', 'ReturnData': True, 'MetricStat': {'Metric': {'Namespace': 'Diff', 'MetricName': 'm'},
                                                        'Period': 60, 'Stat': 'Minimum'}}]})

    # CloudFormation
    cfn = CLIENTS['cloudformation']
    created = call('cloudformation CreateChangeSet', 'cloudformation', 'CreateChangeSet', {
        'StackName': 'diff', 'ChangeSetName': 'diff-1', 'ChangeSetType': 'CREATE', 'TemplateBody': TEMPLATE})
    wait_for(lambda: cfn.describe_change_set(ChangeSetName=created['Id'])['Status'] in ('CREATE_COMPLETE', 'FAILED'),
             'the change set')
    call('cloudformation DescribeChangeSet', 'cloudformation', 'DescribeChangeSet', {'ChangeSetName': created['Id']})
    call('cloudformation ExecuteChangeSet', 'cloudformation', 'ExecuteChangeSet', {'ChangeSetName': created['Id']})
    wait_for(lambda: cfn.describe_stacks(StackName='diff')['Stacks'][0]['StackStatus'] == 'CREATE_COMPLETE', 'the stack')
    call('cloudformation DescribeStacks', 'cloudformation', 'DescribeStacks', {'StackName': 'diff'})
    call('cloudformation DescribeStacks (unknown)', 'cloudformation', 'DescribeStacks', {'StackName': 'nope'})
    call('cloudformation DescribeStackEvents', 'cloudformation', 'DescribeStackEvents', {'StackName': 'diff'})
    call('cloudformation DescribeStackResources', 'cloudformation', 'DescribeStackResources', {'StackName': 'diff'})
    call('cloudformation GetTemplate', 'cloudformation', 'GetTemplate', {'StackName': 'diff'})
    # SQS and CloudWatch alarms, as doctor reads a hook stack's dead-letter queue and alarm.
    url = call('sqs GetQueueUrl', 'sqs', 'GetQueueUrl', {'QueueName': 'diff-queue'})['QueueUrl']
    call('sqs GetQueueUrl (unknown)', 'sqs', 'GetQueueUrl', {'QueueName': 'diff-nope'})
    call('sqs ListQueues', 'sqs', 'ListQueues', {'QueueNamePrefix': 'diff'})
    call('sqs SendMessage', 'sqs', 'SendMessage', {'QueueUrl': url, 'MessageBody': '{"dead": 1}'})
    call('sqs GetQueueAttributes', 'sqs', 'GetQueueAttributes', {
        'QueueUrl': url, 'AttributeNames': ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']})
    cloudwatch_call('cloudwatch DescribeAlarms', 'DescribeAlarms', {'AlarmNames': ['diff-alarm']})
    second = call('cloudformation CreateChangeSet (update)', 'cloudformation', 'CreateChangeSet', {
        'StackName': 'diff', 'ChangeSetName': 'diff-2', 'ChangeSetType': 'UPDATE', 'TemplateBody': TEMPLATE.replace(
            'diff-topic', 'diff-topic-2')})
    wait_for(lambda: cfn.describe_change_set(ChangeSetName=second['Id'])['Status'] in ('CREATE_COMPLETE', 'FAILED'),
             'the second change set')
    call('cloudformation DeleteChangeSet', 'cloudformation', 'DeleteChangeSet', {'ChangeSetName': second['Id']})

    # SNS
    topic = call('sns CreateTopic', 'sns', 'CreateTopic', {'Name': 'diff-sns'})['TopicArn']
    call('sns ListTopics', 'sns', 'ListTopics', {})
    call('sns GetTopicAttributes', 'sns', 'GetTopicAttributes', {'TopicArn': topic})
    call('sns GetTopicAttributes (unknown)', 'sns', 'GetTopicAttributes', {'TopicArn': topic + '-nope'})
    # An e-mail subscription waits for its confirmation: Publish delivers nothing, on either side.
    sub = call('sns Subscribe', 'sns', 'Subscribe', {'TopicArn': topic, 'Protocol': 'email', 'Endpoint': 'ops@example.com'})
    call('sns ListSubscriptionsByTopic', 'sns', 'ListSubscriptionsByTopic', {'TopicArn': topic})
    call('sns Publish', 'sns', 'Publish', {'TopicArn': topic, 'Message': 'hello', 'Subject': 'diff'})
    if sub:
        call('sns Unsubscribe', 'sns', 'Unsubscribe', {'SubscriptionArn': sub['SubscriptionArn']})
    call('sns DeleteTopic', 'sns', 'DeleteTopic', {'TopicArn': topic})

    # Lambda: listing and a missing function on both; a function made by a stack, only in the sim (moto runs
    # Lambda code in Docker, which the machine does not have).
    call('lambda ListFunctions', 'lambda', 'ListFunctions', {})
    call('lambda GetFunction (unknown)', 'lambda', 'GetFunction', {'FunctionName': 'nope'})
    if TARGET == 'sim':
        made = call('cloudformation CreateChangeSet (function)', 'cloudformation', 'CreateChangeSet', {
            'StackName': 'diff-fn', 'ChangeSetName': 'fn', 'ChangeSetType': 'CREATE', 'TemplateBody': LAMBDA_TEMPLATE,
            'Capabilities': ['CAPABILITY_IAM']})
        wait_for(lambda: cfn.describe_change_set(ChangeSetName=made['Id'])['Status'] == 'CREATE_COMPLETE', 'the function')
        call('cloudformation ExecuteChangeSet (function)', 'cloudformation', 'ExecuteChangeSet', {'ChangeSetName': made['Id']})
        wait_for(lambda: cfn.describe_stacks(StackName='diff-fn')['Stacks'][0]['StackStatus'] == 'CREATE_COMPLETE',
                 'the function stack')
        call('lambda GetFunction', 'lambda', 'GetFunction', {'FunctionName': 'diff-fn'})
        call('lambda GetFunctionConfiguration', 'lambda', 'GetFunctionConfiguration', {'FunctionName': 'diff-fn'})
        call('lambda GetPolicy', 'lambda', 'GetPolicy', {'FunctionName': 'diff-fn'})
        out = call('lambda Invoke', 'lambda', 'Invoke', {'FunctionName': 'diff-fn', 'Payload': b'{"x": 1}'})
        report['invokePayload'] = out['Payload'].decode() if out else None

    # ELBv2 (the sim's target groups, once it has them)
    tg = maybe('elbv2 CreateTargetGroup', 'elbv2', 'CreateTargetGroup', {
        'Name': 'diff-tg', 'Protocol': 'HTTP', 'Port': 80, 'VpcId': ctx['vpc'], 'TargetType': 'instance'})
    arn = tg['TargetGroups'][0]['TargetGroupArn'] if tg else None
    if arn:
        maybe('elbv2 DescribeTargetGroups', 'elbv2', 'DescribeTargetGroups', {'TargetGroupArns': [arn]})
        maybe('elbv2 DescribeTargetHealth', 'elbv2', 'DescribeTargetHealth', {'TargetGroupArn': arn})
        maybe('elbv2 ModifyTargetGroupAttributes', 'elbv2', 'ModifyTargetGroupAttributes', {
            'TargetGroupArn': arn, 'Attributes': [{'Key': 'deregistration_delay.timeout_seconds', 'Value': '30'}]})
        maybe('elbv2 DescribeTargetGroupAttributes', 'elbv2', 'DescribeTargetGroupAttributes', {'TargetGroupArn': arn})

    call('cloudformation DeleteStack', 'cloudformation', 'DeleteStack', {'StackName': 'diff'})


run()
print(json.dumps(report))
