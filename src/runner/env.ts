/** The runner's environment variables (`process.env`): `GITHUB_REPOSITORY`, `GITHUB_RUN_ID`, `GITHUB_OUTPUT`, … */
export type Env = Record<string, string | undefined>;
