#!/usr/bin/env python3
"""The template deployed into moto, with IAM enforced, for docker/rehearse.sh.

  moto_stack.py up DIR     starts moto_server on loopback (pid in DIR/moto.pid), transforms template.yaml with
                           aws-sam-translator as `sam build` leaves it (an ImageUri on each function), creates the stack
                           in moto's CloudFormation, and gives each function an IAM user carrying exactly its deployed
                           role's policies; writes DIR/moto.json: the endpoint, the stack's buckets, each function's
                           access key and an administrator's.
  moto_stack.py check DIR  after the flow: a call outside each role is denied, and the splitter may invoke only the
                           recogniser; prints one line of the checks passed.

IAM is enforced from the fourth request on (INITIAL_NO_AUTH_ACTION_COUNT=3: the administrator is made unsigned, then
signs everything). Moto's quirks, from ../shared/docs/FIELD-NOTES.md: a stack role's policy comes back as a Python
repr without Version, and credentials assumed from such a role fail inside moto, so each role's documents are copied
onto a user of its own.
"""
import ast
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import boto3
from botocore.exceptions import ClientError

REGION = "us-east-1"
STACK = "faas"
FUNCTIONS = ["VideoSplittingFunction", "FaceRecognitionFunction"]
BUCKETS = {"InputBucket": "INPUT_BUCKET", "StageBucket": "STAGE_BUCKET", "OutputBucket": "OUTPUT_BUCKET",
           "GalleryBucket": "GALLERY_BUCKET"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def client(service, config, who):
    return boto3.client(service, endpoint_url=config["endpoint"], region_name=REGION,
                        aws_access_key_id=config[who]["id"], aws_secret_access_key=config[who]["secret"])


def document(raw):
    """A policy document as moto returns it: a dict, a JSON string, or a Python repr (its quirk)."""
    if isinstance(raw, dict):
        doc = raw
    else:
        try:
            doc = json.loads(raw)
        except ValueError:
            doc = ast.literal_eval(raw)
    doc.setdefault("Version", "2012-10-17")
    return doc


def up(work, root):
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = open(os.path.join(work, "moto.log"), "w")
    server = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=log,
                              stderr=subprocess.STDOUT, env=dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="3"))
    with open(os.path.join(work, "moto.pid"), "w") as pid:
        pid.write(str(server.pid))
    for _ in range(100):
        try:
            urllib.request.urlopen(endpoint + "/moto-api/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    config = {"endpoint": endpoint, "boot": {"id": "boot", "secret": "boot"}}
    iam = client("iam", config, "boot")
    iam.create_user(UserName="rehearsal-admin")
    iam.put_user_policy(UserName="rehearsal-admin", PolicyName="everything", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="rehearsal-admin")["AccessKey"]
    config["admin"] = {"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}
    del config["boot"]

    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse
    template = yaml_parse(open(os.path.join(root, "template.yaml")).read())
    account = client("sts", config, "admin").get_caller_identity()["Account"]  # moto's own
    for function in FUNCTIONS:
        template["Resources"][function]["Properties"]["ImageUri"] = \
            f"{account}.dkr.ecr.{REGION}.amazonaws.com/faas:{function}"

    class NoManagedPolicies:
        def load(self):
            return {}

    cfn = client("cloudformation", config, "admin")
    cfn.create_stack(StackName=STACK, TemplateBody=json.dumps(transform(template, {}, NoManagedPolicies())),
                     Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"])
    for _ in range(240):
        stack = cfn.describe_stacks(StackName=STACK)["Stacks"][0]
        if not stack["StackStatus"].endswith("_IN_PROGRESS"):
            break
        time.sleep(0.5)
    if stack["StackStatus"] != "CREATE_COMPLETE":
        sys.exit(f"moto_stack.py: the stack ended {stack['StackStatus']}: {stack.get('StackStatusReason')}")
    resources = {r["LogicalResourceId"]: r for r in cfn.list_stack_resources(StackName=STACK)
                 ["StackResourceSummaries"]}
    config["buckets"] = {env: resources[logical]["PhysicalResourceId"] for logical, env in BUCKETS.items()}
    config["resources"] = len(resources)
    iam = client("iam", config, "admin")
    for function in FUNCTIONS:
        role = resources[function + "Role"]["PhysicalResourceId"]
        user = "rehearsal-" + function
        iam.create_user(UserName=user)
        names = iam.list_role_policies(RoleName=role)["PolicyNames"]
        if not names:
            sys.exit(f"moto_stack.py: {role} has no inline policies")
        for name in names:
            doc = document(iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"])
            iam.put_user_policy(UserName=user, PolicyName=name, PolicyDocument=json.dumps(doc))
        key = iam.create_access_key(UserName=user)["AccessKey"]
        config[function] = {"id": key["AccessKeyId"], "secret": key["SecretAccessKey"], "role": role,
                            "policies": names, "name": resources[function]["PhysicalResourceId"]}
    # Moto refuses the signature of Lambda's GetFunction here; the ARN is the function's name in moto's account.
    config["recogniser_arn"] = (f"arn:aws:lambda:{REGION}:{account}:function:"
                                + resources["FaceRecognitionFunction"]["PhysicalResourceId"])
    config["splitter_role"] = resources["VideoSplittingFunctionRole"]["PhysicalResourceId"]
    with open(os.path.join(work, "moto.json"), "w") as out:
        json.dump(config, out, indent=1)
    print(f"stack {STACK}: CREATE_COMPLETE in moto, {len(resources)} resources")


def denied(call):
    try:
        call()
    except ClientError as e:
        code = e.response["Error"]["Code"]
        if code in ("AccessDenied", "403"):
            return True
        raise
    return False


def check(work):
    config = json.load(open(os.path.join(work, "moto.json")))
    buckets = config["buckets"]
    split = client("s3", config, "VideoSplittingFunction")
    recognise = client("s3", config, "FaceRecognitionFunction")
    checks = {
        "the splitter writing the input bucket": lambda: split.put_object(
            Bucket=buckets["INPUT_BUCKET"], Key="planted.mp4", Body=b"x"),
        "the splitter reading the gallery": lambda: split.get_object(
            Bucket=buckets["GALLERY_BUCKET"], Key="gallery.json"),
        "the recogniser reading the gallery bucket's other keys": lambda: recognise.get_object(
            Bucket=buckets["GALLERY_BUCKET"], Key="other.json"),
        "the recogniser writing the stage bucket": lambda: recognise.put_object(
            Bucket=buckets["STAGE_BUCKET"], Key="planted.jpg", Body=b"x"),
        "the splitter deleting a video": lambda: split.delete_object(
            Bucket=buckets["INPUT_BUCKET"], Key="test_0.mp4"),
        "the recogniser deleting an outcome": lambda: recognise.delete_object(
            Bucket=buckets["OUTPUT_BUCKET"], Key="test_0.txt"),
    }
    admin = client("s3", config, "admin")
    admin.put_object(Bucket=buckets["GALLERY_BUCKET"], Key="other.json", Body=b"{}")
    allowed = [what for what, call in checks.items() if not denied(call)]
    if allowed:
        sys.exit("moto_stack.py: allowed but outside the roles: " + "; ".join(allowed))
    # Moto runs no invoke of an image function: the splitter's policy is checked instead.
    iam = client("iam", config, "admin")
    invokes = []
    for name in config["VideoSplittingFunction"]["policies"]:
        doc = document(iam.get_role_policy(RoleName=config["splitter_role"], PolicyName=name)["PolicyDocument"])
        for statement in doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if any(a.startswith("lambda:") for a in actions):
                invokes.append((actions, statement["Resource"]))
    if invokes != [(["lambda:InvokeFunction"], config["recogniser_arn"])] and \
            invokes != [("lambda:InvokeFunction", config["recogniser_arn"])]:
        sys.exit(f"moto_stack.py: the splitter's lambda statements are {invokes}, not InvokeFunction on "
                 f"{config['recogniser_arn']} alone")
    # The operator's dashboard was created and charts both deployed functions. (moto 5.2.1's CloudFormation models
    # neither CloudWatch alarms nor buckets' lifecycle rules: those are checked by cfn-lint and TemplateTest only.)
    cloudwatch = client("cloudwatch", config, "admin")
    names = [d["DashboardName"] for d in cloudwatch.list_dashboards()["DashboardEntries"]]
    bodies = [cloudwatch.get_dashboard(DashboardName=n)["DashboardBody"] for n in names]
    functions = [config[f]["name"] for f in ("VideoSplittingFunction", "FaceRecognitionFunction")]
    if not any(all(f in body for f in functions) for body in bodies):
        sys.exit(f"moto_stack.py: no dashboard charts both functions ({functions}); dashboards: {names}")
    print(f"IAM: {len(checks)} calls outside the roles denied; the splitter may invoke the recogniser alone; "
          f"the dashboard charts both functions")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("up", "check"):
        sys.exit(__doc__)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    (up if sys.argv[1] == "up" else check)(*([sys.argv[2], root] if sys.argv[1] == "up" else [sys.argv[2]]))
