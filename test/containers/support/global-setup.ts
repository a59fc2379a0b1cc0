import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { parse } from 'yaml';
import { cacheFolder, docker, dockerCli, startDockerEngine } from './docker-engine.ts';
import { repository, testLabel } from './containers.ts';

// Before the container tests: a Docker engine of their own, the stand-in base images
// (scripts/make-base-images.sh, cached), and the project's image, built from the Dockerfile under
// the name docker-compose.yml gives it. After them: everything they made is removed and the
// engine stopped (images stay in its data root, the cache).

export default async function setup(project: TestProject) {
  if (process.getuid?.() !== 0) throw new Error('the container tests need root (they start a Docker engine of their own)');
  // The tests' containers talk over a bridge of their own, without iptables: what keeps their
  // packets on this machine is that the host does not forward them anywhere.
  if (readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim() !== '0') {
    throw new Error('the host forwards IPv4 (net.ipv4.ip_forward=1): containers on the tests\' network could reach beyond this machine; run the container tests where forwarding is off');
  }
  const started = Date.now();
  const engine = await startDockerEngine();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  console.log(`containers: engine up at ${engine.host} (${elapsed()})`);
  const teardown = async () => {
    await removeTestObjects(engine.host);
    await engine.stop();
    console.log(`containers: engine stopped (${elapsed()} since setup began)`);
  };
  try {
    await removeTestObjects(engine.host);
    await runScript('scripts/make-base-images.sh', engine.host);
    console.log(`containers: base images ready (${elapsed()})`);
    const compose = parse(readFileSync(`${repository}docker-compose.yml`, 'utf8'), { merge: true });
    const built = Object.values<any>(compose.services).filter((service) => service.build !== undefined);
    const images = [...new Set(built.map((service) => `${service.image}|${service.build}`))];
    if (images.length !== 1 || built[0].build !== '.') throw new Error(`expected one image built from the repository, the compose file says ${images.join(', ')}`);
    const image: string = built[0].image;
    // With BuildKit, as `docker build` builds since Docker Engine 23; the host's network, where
    // npm ci reaches the registry (the test's containers get no route out).
    await docker(engine.host, ['build', '--network', 'host', '--tag', image, repository], { timeoutMs: 15 * 60_000, env: { DOCKER_BUILDKIT: '1' } });
    // The image it replaced, now untagged.
    await docker(engine.host, ['image', 'prune', '--force']);
    const size = Number(await docker(engine.host, ['image', 'inspect', '--format', '{{.Size}}', image]));
    console.log(`containers: ${image} built (${elapsed()}), ${(size / 1e6).toFixed(1)} MB`);
    project.provide('dockerHost', engine.host);
    project.provide('gatewayImage', image);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

async function removeTestObjects(host: string): Promise<void> {
  const filter = ['--filter', `label=${testLabel}`];
  const containers = (await docker(host, ['ps', '--all', '--quiet', ...filter])).split('\n').filter(Boolean);
  if (containers.length > 0) await docker(host, ['rm', '--force', '--volumes', ...containers]);
  const networks = (await docker(host, ['network', 'ls', '--quiet', ...filter])).split('\n').filter(Boolean);
  if (networks.length > 0) await docker(host, ['network', 'rm', ...networks]);
  const volumes = (await docker(host, ['volume', 'ls', '--quiet', ...filter])).split('\n').filter(Boolean);
  if (volumes.length > 0) await docker(host, ['volume', 'rm', '--force', ...volumes]);
}

function runScript(script: string, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { cwd: repository, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DOCKER_HOST: host, DOCKER: dockerCli, CONTAINERS_CACHE_DIR: cacheFolder } });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited with ${code}`))));
  });
}

