#!/usr/bin/env -S gjs -m
// libhubd from GJS: list a user's models, then download one file with a
// progress line, asynchronously. Usage: gjs -m download.js REPO_ID FILENAME
import GLib from 'gi://GLib';
import Hubd from 'gi://Hubd?version=1.0';
import System from 'system';

const [repoId, filename] = ARGV;
const loop = new GLib.MainLoop(null, false);
let status = 0;

function fail(e) {
    printerr(`\n${e.message}`);
    status = e.matches?.(Hubd.error_quark(), Hubd.Error.REPO_NOT_FOUND) ? 2 : 1;
    loop.quit();
}

Hubd.Client.new(null, (_source, res) => {
    let client;
    try {
        client = Hubd.Client.new_finish(res);
    } catch (e) {
        fail(e);
        return;
    }
    const repos = client.list_repos_sync('model', null, repoId.split('/')[0], 20, null);
    for (const repo of repos)
        print(`${repo.id}\t${repo.downloads} downloads`);

    client.download_file('model', repoId, null, filename, null, null, (c, res2) => {
        let job;
        try {
            job = c.download_file_finish(res2);
        } catch (e) {
            fail(e);
            return;
        }
        job.connect('progress', j => {
            const pct = j.bytes_total ? `${Math.floor(j.bytes_done * 100 / j.bytes_total)}%` : '';
            printerr(`\r${j.current_file ?? filename} ${pct} ${GLib.format_size(j.bytes_done)}`);
        });
        job.wait(null, (j, res3) => {
            try {
                const file = j.wait_finish(res3);
                printerr('');
                print(file.get_path());
            } catch (e) {
                fail(e);
                return;
            }
            loop.quit();
        });
    });
});
loop.run();
System.exit(status);
