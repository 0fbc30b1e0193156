// A TypeScript user of the types that openapi-typescript generates from spec/drs-v3.json:
// .ci/spec-products writes them to drs-v3.d.ts beside a copy of this file and type-checks both.
// It builds the request body of 4.1.1 (batch creation of jobs) from the reference's example and
// reads the response of 4.1.20 (job list). Each `@ts-expect-error` line must stay an error: it
// proves the types reject what the spec rejects, so types gone loose (`any`) fail the check.
import type { components, operations, paths } from "./drs-v3";

type Schemas = components["schemas"];
type BatchCreateJobsRequest = Schemas["BatchCreateJobsRequest"];
type CreateJobRequest = Schemas["CreateJobRequest"];
type ListJobsResponse = Schemas["ListJobsResponse"];
type JobStatus = Schemas["JobStatus"];

// The reference's example of 4.1.1: a MySQL migration to the cloud over a public network.
const job: CreateJobRequest = {
  name: "DRS-9228",
  node_type: "high",
  engine_type: "mysql",
  net_type: "eip",
  job_direction: "up",
  db_use_type: "migration",
  task_type: "FULL_INCR_TRANS",
  customize_sutnet_id: "352ad828-3467-4f03-987a-c55a5a9dd417",
  source_endpoint: { db_type: "mysql" },
  target_endpoint: {
    region: "region-1",
    db_type: "mysql",
    inst_id: "e05a3679efe241d8b5dee80b17c1a863in01",
  },
  is_target_readonly: false,
  bind_eip: true,
};
const request: BatchCreateJobsRequest = { jobs: [job] };

// The operation and its path carry the same body type as the named schema.
const byOperation: operations["batch_create_jobs"]["requestBody"]["content"]["application/json"] =
  request;
const byPath: paths["/v3/{project_id}/jobs/batch-creation"]["post"]["requestBody"]["content"]["application/json"] =
  byOperation;

// @ts-expect-error `name` is required (table 4-4).
const unnamed: CreateJobRequest = { ...job, name: undefined };
// @ts-expect-error `engine_type` takes only the documented engines.
const unknownEngine: CreateJobRequest = { ...job, engine_type: "sqlserver-to-db2" };
// @ts-expect-error `jobs` holds job bodies, not job IDs.
const idsOnly: BatchCreateJobsRequest = { jobs: ["e11eaf8f-71ef-4fad-8890-aed7572ajb11"] };

// Job statuses that mean a failure.
const failures: readonly JobStatus[] = ["CREATE_FAILED", "FULL_TRANSFER_FAILED", "INCRE_TRANSFER_FAILED"];

/** The names of the listed jobs whose status is a failure, children included. */
function failedJobs(response: ListJobsResponse): string[] {
  const names: string[] = [];
  const visit = (jobs: Schemas["JobListItem"][]): void => {
    for (const item of jobs) {
      if (item.status !== undefined && failures.includes(item.status)) {
        names.push(item.name ?? item.id ?? "(unnamed)");
      }
      visit(item.children ?? []);
    }
  };
  visit(response.jobs ?? []);
  return names;
}

// Part of the reference's response example of 4.1.20.
const listed: ListJobsResponse = {
  total_record: 2,
  jobs: [
    {
      id: "24834eb6-be30-464e-a299-f7aa730jb101",
      name: "DRS-3999-lws",
      status: "INCRE_TRANSFER_FAILED",
      engine_type: "mysql",
      job_action: { available_actions: ["PAUSE", "RETRY"], unavailable_actions: ["START"] },
    },
  ],
};
const total: number | undefined = listed.total_record;
// @ts-expect-error `total_record` is an integer (table 4-148), not a string.
const totalText: string | undefined = listed.total_record;
// @ts-expect-error `status` takes only the documented job statuses.
const unknownStatus: ListJobsResponse = { jobs: [{ status: "FINISHED" }] };

export const checked = [byPath, unnamed, unknownEngine, idsOnly, failedJobs(listed), total, totalText, unknownStatus];
